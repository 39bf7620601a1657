using System.Text.Json;
using JobQueue.Queue;
using Npgsql;
using JobQueue.Runner;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Runner;

/// <summary>
/// Flow control enforced by the claim across runners: priorities, a global concurrency limit per task
/// type, a limit per partition (a payload key), a rate limit, and pauses (an operator's, or a
/// handler's after a 429). Observed from the attempt records with 8 concurrent runners.
/// </summary>
public sealed class FlowControlTests : IAsyncLifetime
{
    private const int Runners = 8;
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static DelegateHandler Sleeping(string taskType, int ms) =>
        new(taskType, async (_, _, ct) => { await Task.Delay(ms, ct); return null; });

    /// <summary>8 runner loops until the queue has nothing due and nothing running.</summary>
    private async Task DrainAsync(RunnerHarness h, TimeSpan within)
    {
        using var stop = new CancellationTokenSource(within);
        await Task.WhenAll(Enumerable.Range(0, Runners).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if ((await h.PassAsync(limit: 4)).Processed == 0)
                {
                    if (await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE status IN ('pending', 'processing')") == 0)
                    {
                        return;
                    }

                    await Task.Delay(20);
                }
            }
        })));
        Assert.False(stop.IsCancellationRequested, "the queue was not drained in time: something starved");
    }

    /// <summary>The most attempts of <paramref name="taskType"/> that overlapped in time (the attempt records' start and finish).</summary>
    private Task<long> MaxOverlapAsync(string taskType) => db.ScalarAsync<long>(
        """
        WITH a AS (
          SELECT a.started_at, a.finished_at FROM job_queue_attempts a JOIN job_queue j ON j.id = a.job_id WHERE j.task_type = $1)
        SELECT COALESCE(max((SELECT count(*) FROM a b WHERE b.started_at <= x.started_at AND b.finished_at > x.started_at)), 0) FROM a x
        """, taskType);

    [Fact]
    public async Task Higher_priorities_are_claimed_first_and_jobs_scheduled_later_do_not_stand_in_the_way()
    {
        await using var h = new RunnerHarness(db, []);
        var low = await h.Store.EnqueueAsync(new EnqueueRequest("t", RunAt: DateTimeOffset.UtcNow.AddSeconds(-10), Priority: -5));
        var normal = await h.Store.EnqueueAsync(new EnqueueRequest("t", RunAt: DateTimeOffset.UtcNow.AddSeconds(-5)));
        var urgent = await h.Store.EnqueueAsync(new EnqueueRequest("t", RunAt: DateTimeOffset.UtcNow.AddSeconds(-1), Priority: 10));
        for (var i = 0; i < 50; i++)
        {
            await h.Store.EnqueueAsync(new EnqueueRequest("t", RunAt: DateTimeOffset.UtcNow.AddHours(1), Priority: 50));
        }

        var first = Assert.Single(await h.Store.ClaimAsync(1, TimeSpan.FromMinutes(1), "r"));
        var second = Assert.Single(await h.Store.ClaimAsync(1, TimeSpan.FromMinutes(1), "r"));
        var third = Assert.Single(await h.Store.ClaimAsync(1, TimeSpan.FromMinutes(1), "r"));

        Assert.Equal([urgent, normal, low], new[] { first.Id, second.Id, third.Id });
        Assert.Equal(10, first.Priority);
        Assert.Empty(await h.Store.ClaimAsync(5, TimeSpan.FromMinutes(1), "r"));
    }

    [Fact]
    public async Task A_global_concurrency_limit_holds_across_eight_runners_and_unlimited_types_keep_flowing()
    {
        await using var h = new RunnerHarness(db, [Sleeping("limited", 150), Sleeping("free", 20)]);
        await h.Get<TaskLimitStore>().SetAsync("limited", new TaskLimitSettings(MaxConcurrency: 3), TaskLimitStore.FromApi, "test");
        await h.Store.EnqueueManyAsync("limited", Enumerable.Repeat("{}", 30).ToList());
        await h.Store.EnqueueManyAsync("free", Enumerable.Repeat("{}", 60).ToList());

        await DrainAsync(h, TimeSpan.FromMinutes(2));

        Assert.Equal(90L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE status = 'succeeded'"));
        Assert.InRange(await MaxOverlapAsync("limited"), 1, 3);
        Assert.True(await MaxOverlapAsync("free") > 3, "the unlimited type was held back too");
    }

    [Fact]
    public async Task A_claim_that_began_before_a_slot_was_freed_records_its_start_after_the_freed_jobs_finish()
    {
        // a claim whose transaction began before the finish that frees the slot committed (any claim
        // on a busy machine): the limit holds, and the attempt records must show it holding
        await using var h = new RunnerHarness(db, []);
        await h.Get<TaskLimitStore>().SetAsync("one", new TaskLimitSettings(MaxConcurrency: 1), TaskLimitStore.FromApi, "test");
        await h.Store.EnqueueManyAsync("one", Enumerable.Repeat("{}", 2).ToList());
        var first = Assert.Single(await h.Store.ClaimAsync(5, TimeSpan.FromMinutes(1), "r1"));

        await using var claimer = await db.DataSource.OpenConnectionAsync();
        await using var tx = await claimer.BeginTransactionAsync();
        await new NpgsqlCommand("SELECT now()", claimer, tx).ExecuteScalarAsync(); // the transaction's now() is fixed here
        Assert.Empty(await h.Store.ClaimAsync(5, TimeSpan.FromMinutes(1), "r3")); // the limit is full
        await Task.Delay(50);
        await h.Store.CompleteAsync("r1", [new JobCompletion(first.Id, true, null, null, null, 1)]);
        await Task.Delay(50);
        var claimed = new List<Guid>();
        await using (var claim = new NpgsqlCommand("SELECT id FROM jobqueue.job_queue_claim(5, interval '1 minute', 'r2')", claimer, tx))
        await using (var reader = await claim.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                claimed.Add(reader.GetGuid(0));
            }
        }

        await tx.CommitAsync();
        var second = Assert.Single(claimed); // the freed slot, taken
        await h.Store.CompleteAsync("r2", [new JobCompletion(second, true, null, null, null, 1)]);

        Assert.Equal(1L, await MaxOverlapAsync("one")); // 2 with a stamp of now(), the claim transaction's start
        Assert.True(await db.ScalarAsync<bool>(
            "SELECT (SELECT started_at FROM job_queue_attempts WHERE job_id = $2) >= (SELECT finished_at FROM job_queue_attempts WHERE job_id = $1)",
            first.Id, second));
    }

    [Fact]
    public async Task A_limit_per_partition_runs_one_job_per_payload_key_at_a_time_and_partitions_in_parallel()
    {
        await using var h = new RunnerHarness(db, [Sleeping("per_coach", 100)]);
        await h.Get<TaskLimitStore>().SetAsync("per_coach",
            new TaskLimitSettings(PartitionBy: "name", MaxConcurrencyPerPartition: 1), TaskLimitStore.FromApi, "test");
        await h.Store.EnqueueManyAsync("per_coach",
            Enumerable.Range(0, 24).Select(i => $$"""{"name":"coach-{{i % 4}}"}""").ToList());

        await DrainAsync(h, TimeSpan.FromMinutes(2));

        Assert.Equal(24L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE status = 'succeeded'"));
        foreach (var coach in Enumerable.Range(0, 4))
        {
            Assert.Equal(1L, await db.ScalarAsync<long>(
                """
                WITH a AS (SELECT a.started_at, a.finished_at FROM job_queue_attempts a JOIN job_queue j ON j.id = a.job_id
                            WHERE j.payload ->> 'name' = $1)
                SELECT max((SELECT count(*) FROM a b WHERE b.started_at <= x.started_at AND b.finished_at > x.started_at)) FROM a x
                """, $"coach-{coach}"));
        }

        Assert.True(await MaxOverlapAsync("per_coach") > 1, "partitions did not run in parallel");
    }

    [Fact]
    public async Task A_rate_limit_bounds_the_starts_in_any_window_across_runners()
    {
        await using var h = new RunnerHarness(db, [Sleeping("rated", 1)]);
        await h.Get<TaskLimitStore>().SetAsync("rated", new TaskLimitSettings(RateLimit: 5, RateIntervalSeconds: 1), TaskLimitStore.FromApi, "test");
        await h.Store.EnqueueManyAsync("rated", Enumerable.Repeat("{}", 20).ToList());

        await DrainAsync(h, TimeSpan.FromMinutes(2));

        Assert.Equal(20L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE status = 'succeeded'"));
        var busiest = await db.ScalarAsync<long>(
            """
            WITH s AS (SELECT a.started_at FROM job_queue_attempts a JOIN job_queue j ON j.id = a.job_id WHERE j.task_type = 'rated')
            SELECT max((SELECT count(*) FROM s b WHERE b.started_at >= x.started_at AND b.started_at < x.started_at + interval '1 second')) FROM s x
            """);
        Assert.InRange(busiest, 1, 5);
        Assert.True(await db.ScalarAsync<bool>(
            "SELECT max(a.started_at) - min(a.started_at) >= interval '3 seconds' FROM job_queue_attempts a"), "20 starts at 5 per second took under 3 s");
    }

    [Fact]
    public async Task A_handler_that_meets_a_429_pauses_its_task_type_and_waits_without_using_attempts()
    {
        var calls = 0;
        await using var h = new RunnerHarness(db, [new DelegateHandler("api_sync", (_, _, _) =>
            Interlocked.Increment(ref calls) == 1
                ? throw new PauseTaskTypeException(DateTimeOffset.UtcNow.AddMinutes(5), "429 Retry-After 300")
                : Task.FromResult<object?>(null))]);
        var first = await h.Store.EnqueueAsync(new EnqueueRequest("api_sync", MaxAttempts: 1));
        var second = await h.Store.EnqueueAsync(new EnqueueRequest("api_sync", MaxAttempts: 1, RunAt: DateTimeOffset.UtcNow.AddSeconds(1)));
        await Task.Delay(1100);

        var report = await h.PassAsync(limit: 1);
        Assert.Equal("pending", Assert.Single(report.Results).Status);
        Assert.Equal(0, (await h.PassAsync(limit: 5)).Processed); // the other job of the type waits too
        var paused = Assert.Single(await h.Get<TaskLimitStore>().GetAsync(), l => l.TaskType != "stats_update");
        Assert.Equal(("api_sync", "handler"), (paused.TaskType, paused.Source));
        Assert.InRange(paused.PausedUntil!.Value, DateTimeOffset.UtcNow.AddMinutes(4), DateTimeOffset.UtcNow.AddMinutes(6));
        Assert.Equal(0, (await h.Jobs.GetAsync(first))!.Attempts);

        await h.Get<TaskLimitStore>().PauseAsync("api_sync", null, null, TaskLimitStore.FromApi, "operator");
        await db.ExecuteAsync("UPDATE job_queue SET run_at = now()");
        Assert.Equal(2, (await h.PassAsync(limit: 5)).Succeeded);
        Assert.Equal("succeeded", (await h.Jobs.GetAsync(second))!.Status);
    }

    [Fact]
    public async Task Settings_defaults_apply_but_an_operators_limits_win()
    {
        await using var h = new RunnerHarness(db, []);
        var limits = h.Get<TaskLimitStore>();
        await limits.SetAsync("a", new TaskLimitSettings(MaxConcurrency: 7), TaskLimitStore.FromApi, "operator");

        await limits.SetAsync("a", new TaskLimitSettings(MaxConcurrency: 2), TaskLimitStore.FromSettings, "settings");
        await limits.SetAsync("b", new TaskLimitSettings(MaxConcurrency: 2), TaskLimitStore.FromSettings, "settings");

        var all = (await limits.GetAsync()).ToDictionary(l => l.TaskType);
        Assert.Equal((7, "api"), (all["a"].MaxConcurrency, all["a"].Source));
        Assert.Equal((2, "settings"), (all["b"].MaxConcurrency, all["b"].Source));
        Assert.Null(await limits.SetAsync("b", new TaskLimitSettings(), TaskLimitStore.FromApi, "operator"));
        Assert.DoesNotContain(await limits.GetAsync(), l => l.TaskType == "b");
    }
}
