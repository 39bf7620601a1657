using JobQueue.Cron;
using JobQueue.Database;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using static JobQueue.Tests.Database.EmptyDatabase;

namespace JobQueue.Tests.Database;

/// <summary>
/// The migrator leaves no schema named after its search path (DbUp made an empty <c>"jobqueue, pg_temp"</c>
/// until 0013, which drops it where it is empty), neither in the app database nor in pg_cron's own
/// database: the deployment where pg_cron lives in another database (<c>Cron:Database</c>).
/// </summary>
public sealed class SearchPathSchemaTests
{
    private const string Stray = "jobqueue, pg_temp";

    /// <summary>The schemas whose name holds a comma: a search path's text taken for a schema name.</summary>
    private const string CommaSchemas = "SELECT COALESCE(array_agg(nspname::text ORDER BY nspname), '{}') FROM pg_namespace WHERE nspname LIKE '%,%'";

    /// <summary>Migrates the app database <paramref name="app"/> and pg_cron's database <paramref name="cron"/> in one run, as start-up does.</summary>
    private static Task MigrateBothAsync(string app, string cron) =>
        new DatabaseMigrator(
                NullLogger<DatabaseMigrator>.Instance,
                Options.Create(new CronOptions { Database = new NpgsqlConnectionStringBuilder(cron).Database }),
                modules: EveryModule.Schemas)
            .MigrateAsync(app);

    [Fact]
    public Task A_fresh_install_has_no_schema_named_after_a_search_path_in_either_database() =>
        WithAsync(app => WithAsync(async cron =>
        {
            await MigrateBothAsync(app, cron);

            Assert.NotNull(await ScalarAsync<string>(cron, "SELECT to_regclass('jobqueue.cron_jobs')::text")); // pg_cron's part ran there
            Assert.Empty(await ScalarAsync<string[]>(app, CommaSchemas));
            Assert.Empty(await ScalarAsync<string[]>(cron, CommaSchemas));
        }));

    [Fact]
    public Task A_database_upgraded_from_the_first_layout_loses_the_schema_an_earlier_migration_left_in_either_database() =>
        WithAsync(app => WithAsync(async cron =>
        {
            FirstLayoutMigrations.Apply(app);
            FirstLayoutMigrations.Apply(cron, include: file => file.Contains("_cron_", StringComparison.Ordinal) || file.Contains("_shared_", StringComparison.Ordinal),
                journal: "job_queue_cron_schema_versions");
            // what a migration by an earlier build of the baseline layout left in both
            await ExecuteAsync(app, $"""CREATE SCHEMA "{Stray}";""");
            await ExecuteAsync(cron, $"""CREATE SCHEMA "{Stray}";""");

            await MigrateBothAsync(app, cron);

            Assert.Empty(await ScalarAsync<string[]>(app, CommaSchemas));
            Assert.Empty(await ScalarAsync<string[]>(cron, CommaSchemas));
            // and a later run (no versioned script left to run) makes none either
            await MigrateBothAsync(app, cron);
            Assert.Empty(await ScalarAsync<string[]>(app, CommaSchemas));
            Assert.Empty(await ScalarAsync<string[]>(cron, CommaSchemas));
        }));

    [Fact]
    public Task A_versioned_script_that_lands_after_0013_runs_with_the_engines_search_path_and_makes_no_such_schema() =>
        // the cause, apart from 0013's clean-up: DbUp runs its schema check whenever a script is to run
        WithAsync(async app =>
        {
            await new DatabaseMigrator(NullLogger<DatabaseMigrator>.Instance).MigrateAsync(app);
            var scoped = new NpgsqlConnectionStringBuilder(app) { SearchPath = $"{DatabaseMigrator.Schema}, pg_temp" }.ConnectionString;

            var ran = await VersionedScripts.RunAsync(scoped, DatabaseMigrator.Schema, "job_queue_schema_versions",
                [new SchemaFile("9999_a_later_release.sql", "CREATE TABLE later_release (id integer)")], NullLogger.Instance, CancellationToken.None);

            Assert.Equal(1, ran);
            Assert.NotNull(await ScalarAsync<string>(app, "SELECT to_regclass('jobqueue.later_release')::text")); // the search path's first schema
            Assert.Empty(await ScalarAsync<string[]>(app, CommaSchemas));
        });

    [Fact]
    public Task A_schema_of_that_name_that_holds_something_is_kept_with_what_it_holds() =>
        WithAsync(async app =>
        {
            await ExecuteAsync(app, $"""
                CREATE SCHEMA "{Stray}";
                CREATE TABLE "{Stray}".kept (id integer);
                INSERT INTO "{Stray}".kept VALUES (7);
                """);

            await new DatabaseMigrator(NullLogger<DatabaseMigrator>.Instance, modules: EveryModule.Schemas).MigrateAsync(app);

            Assert.Equal([Stray], await ScalarAsync<string[]>(app, CommaSchemas));
            Assert.Equal(7, await ScalarAsync<int>(app, $"""SELECT id FROM "{Stray}".kept"""));
            Assert.Contains("0013_shared_drop_search_path_schema.sql",
                await ScalarAsync<string[]>(app, "SELECT array_agg(scriptname) FROM jobqueue.job_queue_schema_versions"));
        });
}
