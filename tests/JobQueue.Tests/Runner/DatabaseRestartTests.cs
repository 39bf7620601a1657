using System.Collections.Concurrent;
using System.Globalization;
using JobQueue.Database;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace JobQueue.Tests.Runner;

/// <summary>
/// PostgreSQL restarted while runners are busy: runners ride it out and no job is lost. Uses a
/// cluster of its own (next to the shared one) so that the restart disturbs no other test.
/// </summary>
public sealed class DatabaseRestartTests : IAsyncLifetime
{
    private readonly Dictionary<string, string> cluster = new()
    {
        ["JOBQUEUE_PG_PORT"] = (int.Parse(Environment.GetEnvironmentVariable("JOBQUEUE_PG_PORT") ?? "25432", CultureInfo.InvariantCulture) + 50)
            .ToString(CultureInfo.InvariantCulture),
    };

    private string connectionString = "";

    public async Task InitializeAsync()
    {
        var server = LocalPostgres.RunScript("start", cluster).Split('\n')[^1];
        var name = "jq_t_restart_" + Guid.NewGuid().ToString("N")[..8];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {name}", admin).ExecuteNonQueryAsync();
        }

        connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        await new DatabaseMigrator(NullLogger<DatabaseMigrator>.Instance, modules: EveryModule.Schemas).MigrateAsync(connectionString);
    }

    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        LocalPostgres.RunScript("destroy", cluster);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Runners_survive_a_postgres_restart_mid_run_and_every_job_completes()
    {
        const int jobs = 400;
        var started = 0;
        var runs = new ConcurrentDictionary<Guid, int>();
        await using var dataSource = JobQueueServiceCollectionExtensions.BuildDataSource(LocalPostgres.AsRuntimeLogin(connectionString));
        await using var owner = JobQueueServiceCollectionExtensions.BuildDataSource(LocalPostgres.WithJobQueueSearchPath(connectionString));
        await using var h = new RunnerHarness(TestDatabase.Wrap(connectionString, dataSource), [new DelegateHandler("work", async (_, ctx, ct) =>
        {
            Interlocked.Increment(ref started);
            runs.AddOrUpdate(ctx.JobId, 1, (_, n) => n + 1);
            await Task.Delay(5, ct);
            return null;
        })], new Dictionary<string, string?> { ["Runner:TimeBudgetSeconds"] = "1", ["Runner:LeaseSeconds"] = "1", ["Runner:ClaimMarginSeconds"] = "0" });
        await h.Store.EnqueueManyAsync("work", Enumerable.Repeat("{}", jobs).ToList());

        var errors = 0;
        // generous for a loaded machine (1 s leases and budgets churn there); a healthy run takes seconds
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(300));
        var loops = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if ((await h.PassAsync(limit: 5, force: true)).Processed == 0 && await RemainingAsync(owner) == 0)
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or TimeoutException)
                {
                    Interlocked.Increment(ref errors);
                    await Task.Delay(200);
                }
            }
        })).ToList();

        while (Volatile.Read(ref started) < jobs / 4)
        {
            await Task.Delay(20);
        }

        LocalPostgres.RunScript("restart", cluster);
        await Task.WhenAll(loops);

        Assert.False(stop.IsCancellationRequested, "runners did not drain the queue within 5 minutes after the restart");
        Assert.True(errors > 0, "the restart was not noticed by any runner");
        Assert.Equal(0, await RemainingAsync(owner));
        await using var cmd = owner.CreateCommand("SELECT count(*) FROM job_queue WHERE status = 'succeeded'");
        Assert.Equal((long)jobs, (long)(await cmd.ExecuteScalarAsync())!);
        Assert.Equal(jobs, runs.Count);
    }

    private static async Task<long> RemainingAsync(NpgsqlDataSource dataSource)
    {
        await using var cmd = dataSource.CreateCommand("SELECT count(*) FROM job_queue WHERE status IN ('pending', 'processing')");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
