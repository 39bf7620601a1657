using JobQueue.Cron;
using JobQueue.Database;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace JobQueue.Tests.Cron;

/// <summary>
/// An app database (jq_t_*, where pg_cron cannot be installed) whose cron connection is the
/// cluster's database <c>jobqueue</c> (cron.database_name): the "app database is not pg_cron's
/// database" deployment. Every job a test creates carries <see cref="Prefix"/> or targets this
/// database; all of them are deleted at the end.
/// </summary>
public sealed class CronFixture : IAsyncLifetime
{
    public TestDatabase App { get; private set; } = null!;

    public ServiceProvider Services { get; private set; } = null!;

    public CronJobStore Store => Services.GetRequiredService<CronJobStore>();

    public string Prefix { get; } = CronTestDatabase.NewPrefix("t");

    public string Name(string suffix) => Prefix + suffix;

    public async Task InitializeAsync()
    {
        App = await TestDatabase.CreateAsync();
        // the host's path: the core set on the app database, the cron set on Cron:ConnectionString's
        var options = Options.Create(new CronOptions { ConnectionString = CronTestDatabase.ConnectionString });
        await new DatabaseMigrator(NullLogger<DatabaseMigrator>.Instance, options, modules: EveryModule.Schemas).MigrateAsync(App.ConnectionString);
        Services = App.BuildServices(settings: new Dictionary<string, string?> { [CronOptions.ConnectionStringKey] = LocalPostgres.AsRuntimeLogin(CronTestDatabase.ConnectionString) });
    }

    public Task<string> StoredCommandAsync(string jobName) => CronTestDatabase.StoredCommandAsync(jobName);

    public Task<string> CronJobTableSnapshotAsync() => CronTestDatabase.SnapshotAsync(App.Name, Prefix);

    public async Task DisposeAsync()
    {
        await CronTestDatabase.DeleteJobsAsync(Store, App.Name, Prefix);
        await Services.DisposeAsync();
        await App.DisposeAsync();
    }
}
