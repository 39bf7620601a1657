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

    private static readonly Lazy<NpgsqlDataSource> Superuser = new(() => NpgsqlDataSource.Create(LocalPostgres.RunScript("admin-url")));

    public static string ConnectionString => LocalPostgres.ConnectionString;

    /// <summary>
    /// The cluster's superuser in pg_cron's database: the role of jobs that are not the schema owner's
    /// (as `postgres`'s on Supabase), and of run history written directly. Never the app's.
    /// </summary>
    public static NpgsqlDataSource SuperuserSource => Superuser.Value;

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

    /// <summary>Unschedules pg_cron jobs of any role (as the superuser).</summary>
    public static async Task UnscheduleAsync(IEnumerable<long> jobIds)
    {
        foreach (var id in jobIds)
        {
            await using var cmd = SuperuserSource.CreateCommand("SELECT cron.unschedule($1)");
            cmd.Parameters.AddWithValue(id);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Records a run of a job in <c>cron.job_run_details</c> as pg_cron does (as the superuser): status, message, start and duration.</summary>
    public static async Task AddRunAsync(long jobId, string status, string message, DateTimeOffset start, TimeSpan duration)
    {
        await using var run = SuperuserSource.CreateCommand(
            "INSERT INTO cron.job_run_details (jobid, runid, database, username, command, status, return_message, start_time, end_time) " +
            "SELECT jobid, nextval('cron.runid_seq'), database, username, command, $2, $3, $4, $4 + $5 FROM cron.job WHERE jobid = $1");
        run.Parameters.AddWithValue(jobId);
        run.Parameters.AddWithValue(status);
        run.Parameters.AddWithValue(message);
        run.Parameters.AddWithValue(start);
        run.Parameters.AddWithValue(duration);
        await run.ExecuteNonQueryAsync();
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
