using JobQueue.Cron;
using JobQueue.Database;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobQueue.Tests.Cron;

/// <summary>
/// The default deployment: the app database is pg_cron's own (no <c>Cron:ConnectionString</c>), as the
/// local server runs on database <c>jobqueue</c>. Jobs are stored with <c>cron.schedule</c>.
/// </summary>
public sealed class CronSameDatabaseTests
{
    [Fact]
    public async Task Without_a_cron_connection_jobs_run_in_pg_crons_own_database()
    {
        var cs = LocalPostgres.ConnectionString;
        await new DatabaseMigrator(NullLogger<DatabaseMigrator>.Instance, modules: EveryModule.Schemas).MigrateAsync(cs);
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [JobQueueServiceCollectionExtensions.ConnectionStringKey] = LocalPostgres.AsRuntimeLogin(cs) })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddJobQueueWithEveryModule(config);
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<CronJobStore>();
        var name = "t" + Guid.NewGuid().ToString("N")[..8] + "_same";
        var taskType = "probe_" + name;

        var job = await store.CreateAsync(new CronJobDefinition(name, "0 0 1 1 *", taskType, """{"x":"'"}"""));
        try
        {
            Assert.Equal("jobqueue", job.Database);
            await using var db = JobQueueServiceCollectionExtensions.BuildDataSource(LocalPostgres.WithJobQueueSearchPath(cs));
            await using (var run = db.CreateCommand(await CronTestDatabase.StoredCommandAsync(name)))
            {
                await run.ExecuteScalarAsync();
            }

            await using var check = db.CreateCommand("DELETE FROM job_queue WHERE task_type = $1 AND payload = '{\"x\":\"''\"}'::jsonb RETURNING triggered_by");
            check.Parameters.AddWithValue(taskType);
            Assert.Equal("pg_cron:" + name, await check.ExecuteScalarAsync());
        }
        finally
        {
            await store.DeleteAsync(name);
        }
    }
}
