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

        var empty = await Samples.TimeAsync(samples, () => runner.RunPassAsync(new RunPassRequest(5)));
        var five = await Samples.TimeAsync(samples, async () =>
        {
            var report = await runner.RunPassAsync(new RunPassRequest(5));
            if (report.Succeeded != 5)
            {
                throw new InvalidOperationException($"a pass over 5 due jobs succeeded {report.Succeeded}");
            }
        }, () => JobQueueFigures.FillAsync(store, 5, 5));
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

        using var probe = new PickupProbe(samples);
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

        var result = await probe.ProduceAsync(store);
        await stop.CancelAsync();
        await loop;
        return result;
    }
}
