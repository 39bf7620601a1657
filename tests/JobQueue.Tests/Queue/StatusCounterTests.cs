using System.Text.Json;
using JobQueue.Queue;
using JobQueue.Runner;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>
/// The per-status counters health reads (jobqueue.count_job_statuses,
/// Database/Schema/functions/monitoring/count_job_statuses.sql) against a real count of the table, after
/// every kind of writer: the queue functions, concurrent runners, the cleanup, bulk actions, plain SQL
/// and TRUNCATE; and the pending gauges they feed.
/// </summary>
public sealed class StatusCounterTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task Counts_follow_every_kind_of_change()
    {
        var attempt = 0;
        await using var h = new RunnerHarness(db, [new DelegateHandler("work", (p, _, _) =>
            Interlocked.Increment(ref attempt) % 3 == 0 ? throw new InvalidOperationException("every third fails") : Task.FromResult<object?>(null))]);
        await AssertCountsMatchAsync(h.Get<QueueHealthStore>());

        await h.Store.EnqueueManyAsync("work", Enumerable.Repeat("{}", 40).ToList(), maxAttempts: 1);
        await h.Store.EnqueueAsync(new EnqueueRequest("work", RunAt: DateTimeOffset.UtcNow.AddDays(1)));
        var later = await h.Store.EnqueueAsync(new EnqueueRequest("work", RunAt: DateTimeOffset.UtcNow.AddDays(1)));
        await AssertCountsMatchAsync(h.Get<QueueHealthStore>());

        // claims and finishes (successes and final failures), a run-now (no status change), a cancel, a retry
        await h.PassAsync(limit: 10, force: true);
        await h.PassAsync(limit: 10, force: true);
        await h.Actions.RunNowAsync(later);
        await AssertCountsMatchAsync(h.Get<QueueHealthStore>());
        var failed = await db.ScalarAsync<Guid>("SELECT id FROM job_queue WHERE status = 'failed' LIMIT 1");
        await h.Actions.RetryAsync(failed, "test");
        await h.Actions.CancelAsync(later, "test", "no");
        await AssertCountsMatchAsync(h.Get<QueueHealthStore>());

        // a claimed job whose lease runs out is rescued by the next claim
        await h.Store.ClaimAsync(1, TimeSpan.FromMilliseconds(1), "gone");
        await Task.Delay(50);
        await h.Store.ClaimAsync(1, TimeSpan.FromMinutes(5), "next");
        await AssertCountsMatchAsync(h.Get<QueueHealthStore>());

        // bulk actions, cleanup, plain SQL (insert, update, delete in one transaction, rolled back and committed)
        await h.Get<JobBulkStore>().CancelAsync(new JobFilter(Status: "pending"), dryRun: false, "test", null);
        await h.Get<JobBulkStore>().RetryAsync(new JobFilter(), dryRun: false, "test");
        await db.ExecuteAsync("UPDATE job_queue SET completed_at = now() - interval '30 days' WHERE status = 'succeeded' AND id IN (SELECT id FROM job_queue WHERE status = 'succeeded' LIMIT 5)");
        await h.Get<JobCleanupStore>().CleanupBatchAsync(DateTimeOffset.UtcNow.AddDays(-14), 1000);
        await db.ExecuteAsync("""
            BEGIN;
            INSERT INTO job_queue (task_type, status) VALUES ('work', 'failed'), ('work', 'cancelled');
            ROLLBACK;
            BEGIN;
            INSERT INTO job_queue (task_type, status) SELECT 'work', 'succeeded' FROM generate_series(1, 7);
            UPDATE job_queue SET status = 'failed' WHERE id IN (SELECT id FROM job_queue WHERE status = 'succeeded' LIMIT 3);
            DELETE FROM job_queue WHERE id IN (SELECT id FROM job_queue WHERE status = 'pending' LIMIT 2);
            COMMIT;
            """);
        await AssertCountsMatchAsync(h.Get<QueueHealthStore>());

        await db.ExecuteAsync("TRUNCATE jobqueue.job_queue");
        await AssertCountsMatchAsync(h.Get<QueueHealthStore>());
        await h.Store.EnqueueAsync(new EnqueueRequest("work"));
        await AssertCountsMatchAsync(h.Get<QueueHealthStore>());
    }

    [Fact]
    public async Task Counts_stay_exact_under_concurrent_runners_and_producers()
    {
        await using var h = new RunnerHarness(db, [new DelegateHandler("work", (_, ctx, _) =>
            ctx.Attempt == 1 && ctx.JobId.ToByteArray()[15] % 4 == 0 ? throw new InvalidOperationException("retry me") : Task.FromResult<object?>(null))],
            new Dictionary<string, string?> { ["Runner:MaxLimit"] = "50" });
        using var stop = new CancellationTokenSource();
        var producers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await h.Store.EnqueueManyAsync("work", Enumerable.Repeat("{}", 50).ToList(), maxAttempts: 2);
            }
        })).ToArray();
        var runners = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if ((await h.PassAsync(limit: 25, force: true)).Processed == 0)
                {
                    await Task.Delay(5);
                }
            }
        })).ToArray();

        await Task.WhenAll(producers);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE status IN ('pending', 'processing') AND run_at <= now()") > 0
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await Task.WhenAll(runners);
        var counts = await AssertCountsMatchAsync(h.Get<QueueHealthStore>());
        Assert.Equal(2_000, counts.Values.Sum());
        Assert.True(counts["succeeded"] > 1_000, $"{counts["succeeded"]} succeeded");
        // the deltas went to several shards, not one row that every statement waited for
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM job_queue_status_counts") > 1);
    }

    [Fact]
    public async Task The_gauges_count_due_jobs_and_the_oldest_one_without_reading_the_backlog()
    {
        await using var h = new RunnerHarness(db, [new DelegateHandler("work", (_, _, _) => Task.FromResult<object?>(null))]);
        await db.ExecuteAsync("SELECT job_queue_enqueue('work', '{}'::jsonb, now() - interval '10 minutes', 3)");
        await h.Store.EnqueueManyAsync("work", Enumerable.Repeat("{}", 5).ToList());
        await h.Store.EnqueueManyAsync("work", Enumerable.Repeat("{}", 3).ToList(), runAt: DateTimeOffset.UtcNow.AddHours(1));

        var (due, oldest) = await h.Get<QueueHealthStore>().GetPendingGaugesAsync();
        Assert.Equal(6, due);
        Assert.InRange(oldest, 590, 700);
        var health = await h.Get<QueueHealthStore>().GetHealthAsync();
        Assert.Equal(9, health.GetProperty("counts").GetProperty("pending").GetInt64());
        Assert.Equal(6, health.GetProperty("duePending").GetInt64());
    }

    /// <summary>health's counts equal a full count of the table; returns them.</summary>
    private async Task<Dictionary<string, long>> AssertCountsMatchAsync(QueueHealthStore store)
    {
        var health = await store.GetHealthAsync();
        var fromCounters = JobStatus.All.ToDictionary(s => s, s => health.GetProperty("counts").GetProperty(s).GetInt64());
        var counted = new Dictionary<string, long>();
        foreach (var status in JobStatus.All)
        {
            counted[status] = await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE status = $1", status);
        }

        Assert.Equal(counted, fromCounters);
        var due = await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE status = 'pending' AND run_at <= now()");
        Assert.Equal(due, health.GetProperty("duePending").GetInt64());
        return fromCounters;
    }
}
