using System.Diagnostics;
using JobQueue.Queue;
using JobQueue.Runner;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Benchmarks;

/// <summary>
/// Flow control's cost and accuracy (issue 15.7): the same drain of no-op jobs by R runner loops with
/// no limit, a global concurrency limit and a rate limit on the task type; per configuration the
/// jobs/s, the runner pass's p50/p99, the largest concurrency the attempt records show and the most
/// starts in any interval; and the claim's cost while a deep backlog of its type is held back by a full
/// concurrency limit (the claim must not read the whole backlog).
/// </summary>
public static class LimitFigures
{
    public sealed record Drain(string Config, double Rate, Samples Passes, long MaxConcurrency, long MaxStartsPerInterval);

    /// <summary>One drain of <paramref name="n"/> jobs by <paramref name="runners"/> loops under <paramref name="limits"/> (null: none).</summary>
    public static async Task<Drain> DrainAsync(string server, string config, int n, int runners, int passLimit, TaskLimitSettings? limits, double intervalSeconds)
    {
        await using var db = await BenchDatabase.CreateAsync(server, "limits");
        await using var services = db.BuildServices(passLimit);
        var store = services.GetRequiredService<JobQueueStore>();
        var runner = services.GetRequiredService<JobRunner>();
        if (limits is not null)
        {
            await services.GetRequiredService<TaskLimitStore>().SetAsync(NoopHandler.Name, limits, TaskLimitStore.FromApi, "bench");
        }

        await JobQueueFigures.FillAsync(store, n);
        await db.ExecuteAsync("VACUUM ANALYZE job_queue");

        var passes = new Samples();
        long processed = 0;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, runners).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Read(ref processed) < n)
            {
                var t0 = Stopwatch.GetTimestamp();
                var report = await runner.RunPassAsync(new RunPassRequest(passLimit));
                passes.Add(t0);
                Interlocked.Add(ref processed, report.Processed);
                if (report.Processed == 0)
                {
                    await Task.Delay(5); // held back by the limit (or the rate's window): not drained yet
                }
            }
        })));
        var rate = n / sw.Elapsed.TotalSeconds;

        var succeeded = await db.CountAsync("SELECT count(*) FROM job_queue WHERE status = 'succeeded'");
        if (succeeded != n)
        {
            throw new InvalidOperationException($"limits drain ({config}) lost work: succeeded {succeeded}, expected {n}");
        }

        // sweep over the attempts' starts (+1) and finishes (-1); a finish at the same instant as a start comes first
        var concurrency = await db.CountAsync(
            """
            SELECT max(running) FROM (
              SELECT sum(d) OVER (ORDER BY t, d ROWS UNBOUNDED PRECEDING) AS running FROM (
                SELECT started_at AS t, 1 AS d FROM job_queue_attempts
                UNION ALL SELECT finished_at, -1 FROM job_queue_attempts) e) s
            """);
        var starts = await db.CountAsync(
            $"""
            SELECT max(c) FROM (
              SELECT count(*) OVER (ORDER BY started_at RANGE BETWEEN CURRENT ROW
                                    AND interval '{(int)(intervalSeconds * 1_000_000) - 1} microseconds' FOLLOWING) AS c
              FROM job_queue_attempts) w
            """);
        return new Drain(config, rate, passes, concurrency, starts);
    }

    /// <summary>
    /// Claims of <paramref name="passLimit"/> while <paramref name="backlog"/> due jobs of a type wait
    /// behind its full concurrency limit (1, taken) and one due job of another type is claimable.
    /// </summary>
    public static async Task<Samples> BlockedClaimAsync(string server, int backlog, int samples, int passLimit)
    {
        await using var db = await BenchDatabase.CreateAsync(server, "limclaim");
        await using var services = db.BuildServices(passLimit);
        var store = services.GetRequiredService<JobQueueStore>();
        await services.GetRequiredService<TaskLimitStore>().SetAsync(NoopHandler.Name, new TaskLimitSettings(MaxConcurrency: 1), TaskLimitStore.FromApi, "bench");
        await JobQueueFigures.FillAsync(store, backlog);
        await db.ExecuteAsync("VACUUM ANALYZE job_queue");
        if ((await store.ClaimAsync(1, TimeSpan.FromHours(1), "holder")).Count != 1)
        {
            throw new InvalidOperationException("the limit's one slot was not taken");
        }

        var other = new EnqueueRequest("bench_other", null);
        return await Samples.TimeAsync(
            samples,
            async () =>
            {
                var claimed = await store.ClaimAsync(passLimit, TimeSpan.FromHours(1), "bench");
                if (claimed.Count != 1 || claimed[0].TaskType != "bench_other")
                {
                    throw new InvalidOperationException($"a blocked claim returned {claimed.Count} jobs");
                }
            },
            async () => await store.EnqueueAsync(other));
    }
}
