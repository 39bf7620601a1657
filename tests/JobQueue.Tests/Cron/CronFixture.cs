using JobQueue.Cron;
using JobQueue.Database;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobQueue.Tests.Cron;

/// <summary>
/// An app database (jq_t_*, where pg_cron cannot be installed) whose cron connection is the
/// cluster's database <c>jobqueue</c> (cron.database_name): the "app database is not pg_cron's
/// database" deployment. Jobs go to the shared pg_cron, so every job a test creates carries
/// <see cref="Prefix"/> and targets this database; all of them are deleted at the end.
/// </summary>
public sealed class CronFixture : IAsyncLifetime
{
    public TestDatabase App { get; private set; } = null!;

    public ServiceProvider Services { get; private set; } = null!;

    public CronJobStore Store => Services.GetRequiredService<CronJobStore>();

    /// <summary>Connection to pg_cron's database as the app user.</summary>
    public NpgsqlDataSource CronDataSource { get; private set; } = null!;

    public string Prefix { get; } = "t" + Guid.NewGuid().ToString("N")[..8] + "_";

    public string Name(string suffix) => Prefix + suffix;

    public async Task InitializeAsync()
    {
        App = await TestDatabase.CreateAsync();
        // the host's path: the core set on the app database, the cron set on Cron:ConnectionString's
        var options = Options.Create(new CronOptions { ConnectionString = LocalPostgres.ConnectionString });
        await new DatabaseMigrator(NullLogger<DatabaseMigrator>.Instance, options).MigrateAsync(App.ConnectionString);
        Services = App.BuildServices(settings: new Dictionary<string, string?> { [CronOptions.ConnectionStringKey] = LocalPostgres.ConnectionString });
        CronDataSource = NpgsqlDataSource.Create(LocalPostgres.ConnectionString);
    }

    /// <summary>The command pg_cron stored for a job, read straight from <c>cron.job</c>.</summary>
    public async Task<string> StoredCommandAsync(long jobId)
    {
        await using var cmd = CronDataSource.CreateCommand("SELECT command FROM cron.job WHERE jobid = $1");
        cmd.Parameters.AddWithValue(jobId);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>The role's rows of <c>cron.job</c> for this fixture's database, as text, to compare before/after.</summary>
    public async Task<string> CronJobTableSnapshotAsync()
    {
        await using var cmd = CronDataSource.CreateCommand(
            "SELECT COALESCE(string_agg(jobid || '|' || jobname || '|' || schedule || '|' || active || '|' || command, E'\\n' ORDER BY jobid), '') FROM cron.job WHERE database = $1");
        cmd.Parameters.AddWithValue(App.Name);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        foreach (var job in await Store.GetJobsAsync())
        {
            if (job.Database == App.Name || job.Name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                await Store.DeleteAsync(job.Name);
            }
        }

        await CronDataSource.DisposeAsync();
        await Services.DisposeAsync();
        await App.DisposeAsync();
    }
}
