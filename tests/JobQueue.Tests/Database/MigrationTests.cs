using JobQueue.Tests.Infrastructure;
using JobQueue.Database;
using Microsoft.Extensions.Logging.Abstractions;
using static JobQueue.Tests.Database.EmptyDatabase;

namespace JobQueue.Tests.Database;

/// <summary>The migrations from an empty database: versioned scripts once, function files when they change.</summary>
public sealed class MigrationTests
{
    private static DatabaseMigrator Migrator() => new(NullLogger<DatabaseMigrator>.Instance, modules: EveryModule.Schemas);

    [Fact]
    public Task Instances_migrating_at_once_apply_each_script_and_file_once_and_a_rerun_changes_nothing() =>
        WithAsync(async cs =>
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Migrator().MigrateAsync(cs))));
            var appliedAt = await ScalarAsync<DateTime>(cs, "SELECT max(applied_at) FROM jobqueue.job_queue_schema_files");
            await Migrator().MigrateAsync(cs);

            Assert.Equal(SchemaFiles.Versioned(SchemaSet.App).Count,
                (int)await ScalarAsync<long>(cs, "SELECT count(DISTINCT scriptname) FROM jobqueue.job_queue_schema_versions"));
            Assert.Equal(SchemaFiles.Versioned(SchemaSet.App).Count,
                (int)await ScalarAsync<long>(cs, "SELECT count(*) FROM jobqueue.job_queue_schema_versions"));
            Assert.Equal(SchemaFiles.Functions(SchemaSet.App).Count + 2, // + public_wrappers.sql and grants.sql
                (int)await ScalarAsync<long>(cs, "SELECT count(*) FROM jobqueue.job_queue_schema_files"));
            Assert.Equal(appliedAt, await ScalarAsync<DateTime>(cs, "SELECT max(applied_at) FROM jobqueue.job_queue_schema_files"));
            Assert.Equal(1L, await ScalarAsync<long>(cs, "SELECT count(*) FROM jobqueue.job_queue_settings"));
        });

    [Fact]
    public Task Every_function_file_holds_one_definition_and_every_function_comes_from_a_file() =>
        WithAsync(async cs =>
        {
            await Migrator().MigrateAsync(cs);
            var defined = SchemaFiles.Functions(SchemaSet.App)
                .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(f.Sql, @"CREATE OR REPLACE (?:FUNCTION|PROCEDURE) jobqueue\.(\w+)\(")
                    .Select(m => m.Groups[1].Value))
                .Order(StringComparer.Ordinal)
                .ToList();
            Assert.Equal(defined.Distinct().Count(), defined.Count);
            var inDatabase = (await ScalarAsync<string[]>(cs,
                "SELECT array_agg(proname::text ORDER BY proname) FROM pg_proc WHERE pronamespace = 'jobqueue'::regnamespace")).ToList();
            Assert.Equal(inDatabase.Order(StringComparer.Ordinal), defined);
        });

    [Fact]
    public Task A_changed_function_file_is_applied_again_and_only_it() =>
        WithAsync(async cs =>
        {
            await Migrator().MigrateAsync(cs);

            // what a database looks like to a newer build whose job_queue_health.sql differs from the
            // one it applied: the journal's hash no longer matches the file, and the function in the
            // database is not the file's text
            const string file = "functions/monitoring/job_queue_health.sql";
            await ExecuteAsync(cs, $"""
                UPDATE jobqueue.job_queue_schema_files SET sha256 = 'old' WHERE name = '{file}';
                CREATE OR REPLACE FUNCTION jobqueue.job_queue_health(recent_limit integer DEFAULT 10) RETURNS jsonb
                  LANGUAGE sql SECURITY DEFINER SET search_path = jobqueue, pg_temp AS $$ SELECT 'null'::jsonb $$;
                """);
            var before = await ScalarAsync<DateTime>(cs, "SELECT max(applied_at) FROM jobqueue.job_queue_schema_files WHERE name LIKE 'functions/%'");

            await Migrator().MigrateAsync(cs);

            Assert.Contains("job_queue_pending_gauges", await ScalarAsync<string>(cs,
                "SELECT prosrc FROM pg_proc WHERE oid = 'jobqueue.job_queue_health(integer)'::regprocedure"), StringComparison.Ordinal);
            var reapplied = await ScalarAsync<string[]>(cs,
                "SELECT array_agg(name ORDER BY name) FROM jobqueue.job_queue_schema_files WHERE applied_at > $1", before);
            Assert.Equal(new[] { file, "grants.sql", "public_wrappers.sql" }, reapplied);
            Assert.True(await ScalarAsync<bool>(cs,
                "SELECT has_function_privilege('jobqueue_app', 'jobqueue.job_queue_health(integer)', 'EXECUTE')"));
        });

    [Fact]
    public Task A_function_file_that_fails_names_itself_and_the_whole_step_is_rolled_back() =>
        WithAsync(async cs =>
        {
            await Migrator().MigrateAsync(cs);
            const string applied = "functions/helpers/like_pattern.sql";
            const string broken = "functions/maintenance/job_queue_pending_gauges.sql";
            // two changed files; the table the second one reads is gone, so its text no longer
            // compiles (a SQL function's body is checked when it is created)
            await ExecuteAsync(cs, $"""
                UPDATE jobqueue.job_queue_schema_files SET sha256 = 'old' WHERE name IN ('{applied}', '{broken}');
                DROP FUNCTION jobqueue.like_pattern(text);
                ALTER TABLE jobqueue.job_queue RENAME TO job_queue_gone;
                """);

            var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrator().MigrateAsync(cs));
            Assert.Contains(broken, failed.Message, StringComparison.Ordinal);
            Assert.Equal(0L, await ScalarAsync<long>(cs, "SELECT count(*) FROM pg_proc WHERE proname = 'like_pattern'"));
            Assert.Equal("old", await ScalarAsync<string>(cs, $"SELECT sha256 FROM jobqueue.job_queue_schema_files WHERE name = '{applied}'"));
        });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public Task A_database_migrated_as_pg_crons_and_as_an_app_database_runs_each_script_once(bool cronSetFirst) =>
        // the local cluster's database jobqueue is both (pg_cron's own database, and the app's for run.sh)
        WithAsync(async cs =>
        {
            var migrator = Migrator();
            Func<Task>[] sets = [() => migrator.MigrateCronAsync(cs), () => migrator.MigrateAsync(cs)];
            foreach (var set in cronSetFirst ? sets : sets.AsEnumerable().Reverse())
            {
                await set();
            }

            long journaled = 0;
            foreach (var journal in new[] { "jobqueue.job_queue_schema_versions", "jobqueue.job_queue_cron_schema_versions" })
            {
                // a set with nothing left to run writes no journal
                if (await ScalarAsync<string>(cs, $"SELECT to_regclass('{journal}')::text") is not null)
                {
                    journaled += await ScalarAsync<long>(cs, $"SELECT count(*) FROM {journal}");
                }
            }

            Assert.Equal(SchemaFiles.Versioned(SchemaSet.App).Count, journaled); // every script once, in one of the two journals
            Assert.Equal(1L, await ScalarAsync<long>(cs, "SELECT count(*) FROM jobqueue.job_queue_settings"));
        });

    [Fact]
    public Task Pg_crons_database_gets_only_the_shared_and_cron_parts() =>
        WithAsync(async cs =>
        {
            await Migrator().MigrateCronAsync(cs);
            Assert.NotNull(await ScalarAsync<string>(cs, "SELECT to_regclass('jobqueue.cron_jobs')::text"));
            Assert.Null(await ScalarAsync<string>(cs, "SELECT to_regclass('jobqueue.job_queue')::text"));
            Assert.True(await ScalarAsync<bool>(cs, "SELECT has_function_privilege('jobqueue_app', 'jobqueue.create_cron_job(text,text,text,jsonb,integer,text,text,integer)', 'EXECUTE')"));
            Assert.Equal(0L, await ScalarAsync<long>(cs, "SELECT count(*) FROM pg_proc WHERE proname LIKE 'job\\_queue\\_%'"));
        });
}
