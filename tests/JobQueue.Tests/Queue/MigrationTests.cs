using JobQueue.Database;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace JobQueue.Tests.Queue;

public sealed class MigrationTests
{
    [Fact]
    public async Task Instances_migrating_at_once_apply_each_script_once_and_a_rerun_changes_nothing()
    {
        var name = "jq_t_mig_" + Guid.NewGuid().ToString("N")[..8];
        await using var admin = new NpgsqlConnection(LocalPostgres.ConnectionString);
        await admin.OpenAsync();
        await new NpgsqlCommand($"CREATE DATABASE {name}", admin).ExecuteNonQueryAsync();
        var cs = new NpgsqlConnectionStringBuilder(LocalPostgres.ConnectionString) { Database = name, Pooling = false }.ConnectionString;
        try
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
        }
        finally
        {
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin).ExecuteNonQueryAsync();
        }
    }
}
