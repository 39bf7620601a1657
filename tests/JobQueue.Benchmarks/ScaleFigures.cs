using System.Diagnostics;
using JobQueue.Queue;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Benchmarks;

/// <summary>
/// Whether the hot path stays flat as the table grows: claim cost, and the health read (counts by
/// status, due and oldest pending, stuck jobs, recent failures and attempts: what the dashboard's
/// overview refreshes), with 1,000 and with <c>ScaleRows</c> finished jobs (each with its attempt row)
/// in the table (two databases, measured interleaved); on the large table, one page of the admin list per filter (<see cref="ListFigures"/>),
/// then a cleanup of all its old rows (<c>job_queue_cleanup_batch</c>) while runners keep claiming.
/// </summary>
public static class ScaleFigures
{
    private const int ClaimLimit = 5;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public sealed record Result(
        Samples Small, Samples Large, Samples HealthSmall, Samples HealthLarge, IReadOnlyList<(string Filter, Samples Samples)> Lists,
        Samples Before, Samples During, double CleanupRowsPerSecond, long CleanedRows);

    public static async Task<Result> RunAsync(string server, int scaleRows, int samples, Action<string> progress)
    {
        await using var smallDb = await BenchDatabase.CreateAsync(server, "scale_small");
        await using var smallServices = smallDb.BuildServices(100);
        await using var db = await BenchDatabase.CreateAsync(server, "scale");
        await using var services = db.BuildServices(100);
        var smallStore = smallServices.GetRequiredService<JobQueueStore>();
        var store = services.GetRequiredService<JobQueueStore>();

        await InsertFinishedAsync(smallDb, 1_000);
        progress($"inserting {Fmt.N(scaleRows)} finished rows (and their attempts), VACUUM ANALYZE");
        await ListFigures.InsertRareAsync(db, 100);
        await InsertFinishedAsync(db, scaleRows);

        // both tables measured in the same loop, call by call, so that a change in the machine's load
        // during the run weighs on both alike
        progress($"claim cost with 1,000 and with {Fmt.N(scaleRows)} finished rows, interleaved");
        var (small, large) = await MeasureClaimsAsync(smallStore, store, samples);
        progress($"health with 1,000 and with {Fmt.N(scaleRows)} finished rows, interleaved");
        var (healthSmall, healthLarge) = await MeasureHealthAsync(
            smallServices.GetRequiredService<QueueHealthStore>(), services.GetRequiredService<QueueHealthStore>(), samples);
        progress($"one page of the admin list per filter, {Fmt.N(scaleRows)} rows");
        var lists = await ListFigures.MeasureAsync(services.GetRequiredService<JobReadStore>(), Math.Max(20, samples / 20));

        progress($"cleanup of {Fmt.N(scaleRows)} old rows while 2 runner loops claim");
        using var stop = new CancellationTokenSource();
        var before = new Samples();
        var during = new Samples();
        var current = before;
        var loops = Enumerable.Range(0, 2).Select(i => Task.Run(async () =>
        {
            var runner = $"scale-{i}";
            while (!stop.IsCancellationRequested)
            {
                await JobQueueFigures.FillAsync(store, ClaimLimit, ClaimLimit);
                var t0 = Stopwatch.GetTimestamp();
                var jobs = await store.ClaimAsync(ClaimLimit, Lease, runner);
                current.Add(t0);
                await store.CompleteAsync(runner, jobs.Select(j => new JobCompletion(j.Id, true, null, null, null, 0)).ToList());
                await Task.Delay(2);
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(Math.Clamp(samples / 200, 3, 10)));
        current = during;
        var cleanup = services.GetRequiredService<JobCleanupStore>();
        var sw = Stopwatch.StartNew();
        long cleaned = 0;
        var olderThan = DateTimeOffset.UtcNow.AddDays(-14);
        while (true)
        {
            var n = await cleanup.CleanupBatchAsync(olderThan, 1000);
            cleaned += n;
            if (n < 1000)
            {
                break;
            }
        }

        var cleanupSeconds = sw.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        return new Result(small, large, healthSmall, healthLarge, lists, before, during, cleaned / cleanupSeconds, cleaned);
    }

    /// <summary>
    /// Timed claims of <see cref="ClaimLimit"/> due jobs (the default pass size) on the small and the
    /// large table alternately (which one goes first alternates too); each batch is finished untimed.
    /// </summary>
    private static async Task<(Samples Small, Samples Large)> MeasureClaimsAsync(JobQueueStore small, JobQueueStore large, int samples)
    {
        var result = (Small: new Samples(), Large: new Samples());
        await JobQueueFigures.FillAsync(small, (samples + 50) * ClaimLimit);
        await JobQueueFigures.FillAsync(large, (samples + 50) * ClaimLimit);
        for (var i = 0; i < samples + 50; i++)
        {
            var order = i % 2 == 0 ? new[] { (small, result.Small), (large, result.Large) } : [(large, result.Large), (small, result.Small)];
            foreach (var (store, into) in order)
            {
                var t0 = Stopwatch.GetTimestamp();
                var jobs = await store.ClaimAsync(ClaimLimit, Lease, "scale");
                if (i >= 50)
                {
                    into.Add(t0);
                }

                await store.CompleteAsync("scale", jobs.Select(j => new JobCompletion(j.Id, true, null, null, null, 0)).ToList());
            }
        }

        return result;
    }

    /// <summary>Timed health reads on the small and the large table alternately, after 50 untimed ones each.</summary>
    private static async Task<(Samples Small, Samples Large)> MeasureHealthAsync(QueueHealthStore small, QueueHealthStore large, int samples)
    {
        var result = (Small: new Samples(), Large: new Samples());
        for (var i = 0; i < samples + 50; i++)
        {
            var order = i % 2 == 0 ? new[] { (small, result.Small), (large, result.Large) } : [(large, result.Large), (small, result.Small)];
            foreach (var (store, into) in order)
            {
                var t0 = Stopwatch.GetTimestamp();
                await store.GetHealthAsync();
                if (i >= 50)
                {
                    into.Add(t0);
                }
            }
        }

        return result;
    }

    /// <summary>Finished jobs completed 30 days ago, one attempt each, as a long-running queue accumulates them.</summary>
    private static async Task InsertFinishedAsync(BenchDatabase db, int rows)
    {
        await db.ExecuteAsync($"""
            WITH jobs AS (
              INSERT INTO job_queue (task_type, status, attempts, run_at, created_at, updated_at, started_at, completed_at)
              SELECT 'bench_noop', 'succeeded', 1, t, t, t, t, t
                FROM (SELECT now() - interval '30 days' - g * interval '1 millisecond' AS t
                        FROM generate_series(1, {rows}) g) s
              RETURNING id, started_at)
            INSERT INTO job_queue_attempts (job_id, attempt, runner_id, started_at, finished_at, outcome, duration_ms)
            SELECT id, 1, 'bench', started_at, started_at, 'succeeded', 0 FROM jobs
            """);
        await db.ExecuteAsync("VACUUM ANALYZE job_queue");
        await db.ExecuteAsync("VACUUM ANALYZE job_queue_attempts");
    }
}
