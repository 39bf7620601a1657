using System.Diagnostics;
using JobQueue.Runner;
using JobQueue.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Benchmarks;

/// <summary>
/// The Functions app's runner timer in-process (issue 13.6): N due no-op jobs drained by the call the
/// timer function makes (<see cref="ScheduleRunner.RunAsync"/> for <see cref="Schedules.Runner"/>: tick
/// record, one draining pass, queue gauges), one instance with the app's defaults for
/// <c>Runner:Concurrency</c> and the pass budget; and, for comparison, the same N drained by
/// JobQueue.Server's runner loop (also its defaults).
/// </summary>
public static class FunctionsTimerFigures
{
    public sealed record TimerDrain(double Rate, int Ticks, int Concurrency, int BudgetSeconds, string Cpu);

    /// <summary>The timer drain; <paramref name="concurrency"/> overrides the app's default <c>Runner:Concurrency</c>.</summary>
    public static async Task<TimerDrain> TimerDrainAsync(string server, int n, int? concurrency = null)
    {
        await using var db = await BenchDatabase.CreateAsync(server, "fntimer");
        var defaults = new RunnerOptions();
        // the Functions app's defaults (local.settings.sample.json has the same), not the drain figure's R x pass-limit slots
        await using var services = db.BuildServices(defaults.MaxLimit, s => s.PostConfigure<RunnerOptions>(o =>
        {
            o.Concurrency = concurrency ?? defaults.Concurrency;
            o.TimeBudgetSeconds = defaults.TimeBudgetSeconds;
            o.ClaimMarginSeconds = defaults.ClaimMarginSeconds;
        }));
        var store = services.GetRequiredService<JobQueue.Queue.JobQueueStore>();
        var schedules = services.GetRequiredService<ScheduleRunner>();
        await JobQueueFigures.FillAsync(store, n);
        await db.ExecuteAsync("VACUUM ANALYZE job_queue");

        var cpu = await CpuMeter.StartAsync(db.DataSource!);
        var sw = Stopwatch.StartNew();
        var ticks = 0;
        // one tick is one draining pass; a pass that runs out of its budget leaves the rest to the next tick
        do
        {
            ticks++;
            await schedules.RunAsync(Schedules.Runner.Name, isPastDue: false, CancellationToken.None);
        }
        while (await db.CountAsync("SELECT count(*) FROM job_queue WHERE status <> 'succeeded'") > 0 && ticks < 100);

        var seconds = sw.Elapsed.TotalSeconds;
        var cpuUse = cpu.Summary(n);
        await EnsureAllSucceededAsync(db, n, "timer drain");
        return new TimerDrain(n / seconds, ticks, concurrency ?? defaults.Concurrency, defaults.TimeBudgetSeconds, cpuUse);
    }

    /// <summary>
    /// JobQueue.Server's runner loop (Kestrel host, its defaults) over N due no-op jobs enqueued before
    /// it starts: N / (last completed_at - first started_at), by the job records (host start-up excluded).
    /// </summary>
    public static async Task<double> ServerDrainAsync(string server, int n)
    {
        await using var db = await BenchDatabase.CreateAsync(server, "fnsrv");
        await using (var services = db.BuildServices(10))
        {
            await JobQueueFigures.FillAsync(services.GetRequiredService<JobQueue.Queue.JobQueueStore>(), n);
        }

        await db.ExecuteAsync("VACUUM ANALYZE job_queue");
        await using (var app = await HttpFigures.StartServerAsync(db, pollSeconds: 1))
        {
            var deadline = Stopwatch.StartNew();
            while (await db.CountAsync("SELECT count(*) FROM job_queue WHERE status <> 'succeeded'") > 0)
            {
                if (deadline.Elapsed > TimeSpan.FromMinutes(30))
                {
                    throw new TimeoutException("the server did not drain the queue within 30 minutes");
                }

                await Task.Delay(100);
            }

            await app.StopAsync();
        }

        await EnsureAllSucceededAsync(db, n, "server drain");
        var ms = await db.CountAsync("SELECT (extract(epoch FROM max(completed_at) - min(started_at)) * 1000)::bigint FROM job_queue");
        return n / (ms / 1000.0);
    }

    private static async Task EnsureAllSucceededAsync(BenchDatabase db, int n, string what)
    {
        var succeeded = await db.CountAsync("SELECT count(*) FROM job_queue WHERE status = 'succeeded'");
        var history = await db.CountAsync("SELECT count(*) FROM job_queue_attempts WHERE outcome = 'succeeded'");
        if (succeeded != n || history != n)
        {
            throw new InvalidOperationException($"{what} lost work: succeeded {succeeded}, attempts {history}, expected {n}");
        }
    }
}
