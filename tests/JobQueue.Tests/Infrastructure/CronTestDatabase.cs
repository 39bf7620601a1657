using JobQueue.Cron;
using JobQueue.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace JobQueue.Tests.Infrastructure;

/// <summary>
/// pg_cron's database on the local cluster (<c>jobqueue</c>, cron.database_name). Test databases
/// (jq_t_*) cannot hold pg_cron, so tests point <c>Cron:ConnectionString</c> here: the deployment
/// where the app database is not pg_cron's. pg_cron is shared by every test class, so a class names
/// its jobs with its own prefix and deletes them at the end (<see cref="DeleteJobsAsync"/>).
/// </summary>
public static class CronTestDatabase
{
    private static readonly Lazy<Task> Migrated = new(
        () => new DatabaseMigrator(NullLogger<DatabaseMigrator>.Instance).MigrateCronAsync(ConnectionString),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<NpgsqlDataSource> Source = new(() => NpgsqlDataSource.Create(ConnectionString));

    public static string ConnectionString => LocalPostgres.ConnectionString;

    /// <summary>Applies the cron migrations to pg_cron's database (once per test run).</summary>
    public static Task EnsureMigratedAsync() => Migrated.Value;

    /// <summary>A fresh job-name prefix for one test class.</summary>
    public static string NewPrefix(string kind) => kind + Guid.NewGuid().ToString("N")[..8] + "_";

    /// <summary>The command pg_cron stored for a job, read straight from <c>cron.job</c>.</summary>
    public static async Task<string> StoredCommandAsync(string jobName)
    {
        await using var cmd = Source.Value.CreateCommand("SELECT command FROM cron.job WHERE jobname = $1");
        cmd.Parameters.AddWithValue(jobName);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Every <c>cron.job</c> row scheduled into <paramref name="database"/> or named with
    /// <paramref name="prefix"/>, read directly: equal before and after = nothing changed.
    /// </summary>
    public static async Task<string> SnapshotAsync(string database, string prefix)
    {
        await using var cmd = Source.Value.CreateCommand(
            "SELECT COALESCE(string_agg(j::text, E'\\n' ORDER BY jobid), '') FROM cron.job j WHERE database = $1 OR jobname LIKE $2");
        cmd.Parameters.AddWithValue(database);
        cmd.Parameters.AddWithValue(prefix + "%");
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Deletes the jobs a test class created (scheduled into its database or named with its prefix).</summary>
    public static async Task DeleteJobsAsync(CronJobStore store, string database, string prefix)
    {
        foreach (var job in await store.GetJobsAsync())
        {
            if (job.Database == database || job.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                await store.DeleteAsync(job.Name);
            }
        }
    }
}
