using JobQueue.Database;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace JobQueue.Tests.Queue;

public sealed class MigrationTests
{
    [Fact]
    public Task Instances_migrating_at_once_apply_each_script_once_and_a_rerun_changes_nothing() =>
        WithEmptyDatabaseAsync(async cs =>
        {
            var migrator = new DatabaseMigrator(NullLogger<DatabaseMigrator>.Instance);
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => migrator.MigrateAsync(cs))));
            await migrator.MigrateAsync(cs);

            await using var conn = new NpgsqlConnection(cs);
            await conn.OpenAsync();
            var scripts = (long)(await new NpgsqlCommand("SELECT count(*) FROM job_queue_schema_versions", conn).ExecuteScalarAsync())!;
            var distinct = (long)(await new NpgsqlCommand("SELECT count(DISTINCT scriptname) FROM job_queue_schema_versions", conn).ExecuteScalarAsync())!;
            var embedded = typeof(DatabaseMigrator).Assembly.GetManifestResourceNames().Count(n => n.Contains(".Database.Migrations.", StringComparison.Ordinal));
            Assert.Equal(embedded, scripts);
            Assert.Equal(scripts, distinct);
            Assert.Equal(1L, (long)(await new NpgsqlCommand("SELECT count(*) FROM job_queue_settings", conn).ExecuteScalarAsync())!);
        });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public Task A_database_migrated_as_pg_crons_and_as_an_app_database_runs_each_script_once(bool cronSetFirst) =>
        // the local cluster's database jobqueue is both (pg_cron's own database, and the app's for run.sh)
        WithEmptyDatabaseAsync(async cs =>
        {
            var migrator = new DatabaseMigrator(NullLogger<DatabaseMigrator>.Instance);
            Func<Task>[] sets = [() => migrator.MigrateCronAsync(cs), () => migrator.MigrateAsync(cs)];
            foreach (var set in cronSetFirst ? sets : sets.AsEnumerable().Reverse())
            {
                await set();
            }

            await using var conn = new NpgsqlConnection(cs);
            await conn.OpenAsync();
            long journaled = 0;
            foreach (var journal in new[] { "jobqueue.job_queue_schema_versions", "jobqueue.job_queue_cron_schema_versions" })
            {
                // a set with nothing left to run writes no journal
                if (await new NpgsqlCommand($"SELECT to_regclass('{journal}')::text", conn).ExecuteScalarAsync() is string)
                {
                    journaled += (long)(await new NpgsqlCommand($"SELECT count(*) FROM {journal}", conn).ExecuteScalarAsync())!;
                }
            }

            var embedded = typeof(DatabaseMigrator).Assembly.GetManifestResourceNames().Count(n => n.Contains(".Database.Migrations.", StringComparison.Ordinal));
            Assert.Equal(embedded, journaled); // every script once, in one of the two journals
        });

    [Fact]
    public Task A_new_script_numbered_before_the_newest_applied_one_is_refused_before_anything_runs() =>
        WithEmptyDatabaseAsync(async cs =>
        {
            var migrator = new DatabaseMigrator(NullLogger<DatabaseMigrator>.Instance);
            await migrator.MigrateAsync(cs);

            // an upgraded database that lacks a script older than its newest: what a migration numbered
            // below a landed one looks like to the databases that have the landed one
            await using var conn = new NpgsqlConnection(cs);
            await conn.OpenAsync();
            var journal = "jobqueue.job_queue_schema_versions";
            var missing = (string)(await new NpgsqlCommand(
                $"SELECT scriptname FROM {journal} WHERE scriptname LIKE '%.0004\\_%' ESCAPE '\\'", conn).ExecuteScalarAsync())!;
            await new NpgsqlCommand($"DELETE FROM {journal} WHERE scriptname = '{missing}'", conn).ExecuteNonQueryAsync();
            var before = (long)(await new NpgsqlCommand($"SELECT count(*) FROM {journal}", conn).ExecuteScalarAsync())!;

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync(cs));
            Assert.Contains(missing, refused.Message, StringComparison.Ordinal);
            Assert.Contains("sorts before", refused.Message, StringComparison.Ordinal);
            Assert.Equal(before, (long)(await new NpgsqlCommand($"SELECT count(*) FROM {journal}", conn).ExecuteScalarAsync())!);
        });

    /// <summary>Runs <paramref name="test"/> on a new empty database (its connection string), dropped afterwards.</summary>
    private static async Task WithEmptyDatabaseAsync(Func<string, Task> test)
    {
        var name = "jq_t_mig_" + Guid.NewGuid().ToString("N")[..8];
        await using var admin = new NpgsqlConnection(LocalPostgres.ConnectionString);
        await admin.OpenAsync();
        await new NpgsqlCommand($"CREATE DATABASE {name}", admin).ExecuteNonQueryAsync();
        var cs = new NpgsqlConnectionStringBuilder(LocalPostgres.ConnectionString) { Database = name, Pooling = false }.ConnectionString;
        try
        {
            await test(cs);
        }
        finally
        {
            await LocalPostgres.DropDatabaseAsync(admin, name);
        }
    }
}
