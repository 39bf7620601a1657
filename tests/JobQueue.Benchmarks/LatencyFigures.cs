using System.Collections.Concurrent;
using System.Diagnostics;
using JobQueue.Queue;
using JobQueue.Runner;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Benchmarks;

/// <summary>
/// Runner pass latency (empty queue, 5 due jobs) and pickup latency (enqueue → handler start) at the
/// library level: <see cref="JobRunner.RunPassAsync"/> called in-process, as the HTTP route does.
/// </summary>
public static class LatencyFigures
{
    public static async Task<(Samples Empty, Samples Five)> RunnerPassAsync(string server, int samples)
    {
        await using var db = await BenchDatabase.CreateAsync(server, "pass");
        await using var services = db.BuildServices(10);
        var runner = services.GetRequiredService<JobRunner>();
        var store = services.GetRequiredService<JobQueueStore>();

        var empty = new Samples();
        for (var i = 0; i < samples + 50; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            await runner.RunPassAsync(new RunPassRequest(5));
            if (i >= 50)
            {
                empty.Add(t0);
            }
        }

        var five = new Samples();
        for (var i = 0; i < samples + 50; i++)
        {
            await JobQueueFigures.FillAsync(store, 5, 5);
            var t0 = Stopwatch.GetTimestamp();
            var report = await runner.RunPassAsync(new RunPassRequest(5));
            if (i >= 50)
            {
                five.Add(t0);
            }

            if (report.Succeeded != 5)
            {
                throw new InvalidOperationException($"a pass over 5 due jobs succeeded {report.Succeeded}");
            }
        }

        return (empty, five);
    }

    /// <summary>
    /// One runner loop (a pass, then <paramref name="pollMs"/> of sleep when the queue was empty) and
    /// a producer enqueueing one job every 20 ms: enqueue call → handler start.
    /// </summary>
    public static async Task<Samples> PickupAsync(string server, int samples, int pollMs)
    {
        await using var db = await BenchDatabase.CreateAsync(server, "pickup");
        await using var services = db.BuildServices(10);
        var runner = services.GetRequiredService<JobRunner>();
        var store = services.GetRequiredService<JobQueueStore>();

        var enqueuedAt = new ConcurrentDictionary<int, long>();
        var result = new Samples();
        var done = new TaskCompletionSource();
        NoopHandler.OnStart = (seq, at) =>
        {
            if (enqueuedAt.TryGetValue(seq, out var t0))
            {
                result.AddMs(Stopwatch.GetElapsedTime(t0, at).TotalMilliseconds);
                if (result.Count >= samples)
                {
                    done.TrySetResult();
                }
            }
        };

        using var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var report = await runner.RunPassAsync(new RunPassRequest(5));
                if (report.Processed == 0)
                {
                    await Task.Delay(pollMs);
                }
            }
        });

        for (var seq = 0; !done.Task.IsCompleted; seq++)
        {
            enqueuedAt[seq] = Stopwatch.GetTimestamp();
            await store.EnqueueManyAsync(NoopHandler.Name, [$$"""{"seq":{{seq}}}"""]);
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await loop;
        NoopHandler.OnStart = null;
        return result;
    }
}
