using System.Diagnostics;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.States;

namespace JobQueue.Benchmarks;

/// <summary>
/// Hangfire.Core with Hangfire.PostgreSql on the same PostgreSQL, each trial in a fresh database:
/// the same no-op work, enqueued with <see cref="BackgroundJobClient"/>, drained by a
/// <see cref="BackgroundJobServer"/> with a given worker count.
/// </summary>
public static class HangfireFigures
{
    private static PostgreSqlStorage Storage(string connectionString) =>
        new(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, StorageOptions), StorageOptions);

    private static readonly PostgreSqlStorageOptions StorageOptions = new()
    {
        PrepareSchemaIfNecessary = true,
        // the default (15 s) would only matter when the queue is empty; a drain fetches back to back
        QueuePollInterval = TimeSpan.FromMilliseconds(50),
    };

    /// <summary>N jobs enqueued (server stopped), then drained by <paramref name="workers"/> workers → jobs/s.</summary>
    public static async Task<(double Rate, string Cpu)> DrainAsync(string server, int n, int workers)
    {
        await using var db = await BenchDatabase.CreateAsync(server, "hfdrain", migrate: false);
        var storage = Storage(db.ConnectionString);
        var client = new BackgroundJobClient(storage);
        await EnqueueAsync(client, n, producers: 16);

        var monitor = storage.GetMonitoringApi();
        await using var probe = Npgsql.NpgsqlDataSource.Create(db.ConnectionString);
        var cpu = await CpuMeter.StartAsync(probe);
        var sw = Stopwatch.StartNew();
        using (new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = workers, ServerName = "bench" }, storage))
        {
            while (monitor.SucceededListCount() < n)
            {
                await Task.Delay(20);
                if (sw.Elapsed > TimeSpan.FromMinutes(30))
                {
                    throw new TimeoutException($"Hangfire drained {monitor.SucceededListCount()} of {n} in 30 minutes");
                }
            }
        }

        return (n / sw.Elapsed.TotalSeconds, cpu.Summary(n));
    }

    /// <summary>One <c>Enqueue</c> call per job from <paramref name="producers"/> concurrent producers → jobs/s.</summary>
    public static async Task<double> EnqueueAsync(string server, int n, int producers)
    {
        await using var db = await BenchDatabase.CreateAsync(server, "hfenq", migrate: false);
        var client = new BackgroundJobClient(Storage(db.ConnectionString));
        client.Enqueue(() => HangfireNoop.Run());
        var sw = Stopwatch.StartNew();
        await EnqueueAsync(client, n, producers);
        return n / sw.Elapsed.TotalSeconds;
    }

    private static Task EnqueueAsync(BackgroundJobClient client, int n, int producers)
    {
        var next = 0;
        return Task.WhenAll(Enumerable.Range(0, producers).Select(_ => Task.Run(() =>
        {
            while (Interlocked.Increment(ref next) <= n)
            {
                client.Create(() => HangfireNoop.Run(), new EnqueuedState());
            }
        })));
    }
}
