using System.Diagnostics;
using JobQueue.Queue;
using JobQueue.Runner;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Benchmarks;

/// <summary>JobQueue's drain and enqueue figures, through the library's real paths.</summary>
public static class JobQueueFigures
{
    /// <summary>Enqueues <paramref name="n"/> no-op jobs through the batch path.</summary>
    public static async Task FillAsync(JobQueueStore store, int n, int batchSize = 10_000, string payload = "{}")
    {
        for (var done = 0; done < n; done += batchSize)
        {
            var count = Math.Min(batchSize, n - done);
            await store.EnqueueManyAsync(NoopHandler.Name, Enumerable.Repeat(payload, count).ToArray());
        }
    }

    /// <summary>
    /// N due no-op jobs drained by R concurrent loops of <see cref="JobRunner.RunPassAsync"/> (settings check,
    /// claim, handler, one batch finish with attempt history) → jobs/s. With <paramref name="horizon"/>, a
    /// connection of its own holds a snapshot open for the whole drain (<see cref="HeldHorizon"/>).
    /// </summary>
    public static async Task<(double Rate, string Cpu)> DrainAsync(string server, int n, int runners, int passLimit, HeldHorizon? horizon = null)
    {
        await using var db = await BenchDatabase.CreateAsync(server, horizon is null ? "drain" : "drain_held");
        await using var services = db.BuildServices(passLimit);
        var store = services.GetRequiredService<JobQueueStore>();
        var runner = services.GetRequiredService<JobRunner>();
        await FillAsync(store, n);
        await db.ExecuteAsync("VACUUM ANALYZE job_queue");
        if (horizon is not null)
        {
            await horizon.HoldAsync(db.ConnectionString);
        }

        await using var release = horizon;
        long processed = 0;
        var cpu = await CpuMeter.StartAsync(db.DataSource!);
        var sw = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, runners).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var report = await runner.RunPassAsync(new RunPassRequest(passLimit));
                Interlocked.Add(ref processed, report.Processed);
                if (report.Processed == 0)
                {
                    return;
                }
            }
        }));
        await Task.WhenAll(loops);
        var seconds = sw.Elapsed.TotalSeconds;
        var cpuUse = cpu.Summary(n);
        if (horizon is not null)
        {
            await horizon.ReleaseAsync();
        }

        var succeeded = await db.CountAsync("SELECT count(*) FROM job_queue WHERE status = 'succeeded'");
        var history = await db.CountAsync("SELECT count(*) FROM job_queue_attempts WHERE outcome = 'succeeded'");
        if (succeeded != n || history != n || processed != n)
        {
            throw new InvalidOperationException($"drain lost work: processed {processed}, succeeded {succeeded}, attempts {history}, expected {n}");
        }

        return (n / seconds, cpuUse);
    }

    /// <summary>One job per call of <c>job_queue_enqueue</c>, from <paramref name="producers"/> concurrent producers → jobs/s.</summary>
    public static async Task<double> EnqueueOneAtATimeAsync(string server, int n, int producers)
    {
        await using var db = await BenchDatabase.CreateAsync(server, "enq1");
        await using var services = db.BuildServices(10);
        var store = services.GetRequiredService<JobQueueStore>();
        var request = new EnqueueRequest(NoopHandler.Name, null);
        await store.EnqueueAsync(request);

        var next = 0;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, producers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= n)
            {
                await store.EnqueueAsync(request);
            }
        })));
        return n / sw.Elapsed.TotalSeconds;
    }

    /// <summary>Batches of <paramref name="batchSize"/> jobs per call of the bulk path → jobs/s.</summary>
    public static async Task<(double Rate, string Cpu)> EnqueueBatchAsync(string server, int n, int batchSize)
    {
        await using var db = await BenchDatabase.CreateAsync(server, "enqb");
        await using var services = db.BuildServices(10);
        var store = services.GetRequiredService<JobQueueStore>();
        await FillAsync(store, 10);

        var cpu = await CpuMeter.StartAsync(db.DataSource!);
        var sw = Stopwatch.StartNew();
        await FillAsync(store, n, batchSize);
        var rate = n / sw.Elapsed.TotalSeconds;
        var cpuUse = cpu.Summary(n);
        var rows = await db.CountAsync("SELECT count(*) FROM job_queue");
        if (rows != n + 10)
        {
            throw new InvalidOperationException($"batch enqueue stored {rows} rows, expected {n + 10}");
        }

        return (rate, cpuUse);
    }
}
