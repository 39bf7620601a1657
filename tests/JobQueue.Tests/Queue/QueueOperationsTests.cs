using System.Text.Json;
using JobQueue.Handlers;
using JobQueue.Queue;
using JobQueue.Runner;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

public sealed class QueueOperationsTests : IAsyncLifetime
{
    private TestDatabase db = null!;
    private RunnerHarness h = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        h = new RunnerHarness(db, [
            new DelegateHandler("ok", (_, _, _) => Task.FromResult<object?>(null)),
            new DelegateHandler("boom", (_, _, _) => throw new PermanentJobException("cannot work")),
        ]);
    }

    public async Task DisposeAsync()
    {
        await h.DisposeAsync();
        await db.DisposeAsync();
    }

    [Fact]
    public async Task A_duplicate_enqueue_returns_the_live_jobs_id_and_a_finished_one_frees_the_key()
    {
        var first = await h.Store.EnqueueAsync(new EnqueueRequest("ok", DedupeKey: "k1"));
        var again = await h.Store.EnqueueAsync(new EnqueueRequest("ok", DedupeKey: "k1"));
        var otherType = await h.Store.EnqueueAsync(new EnqueueRequest("boom", DedupeKey: "k1"));
        var noKey1 = await h.Store.EnqueueAsync(new EnqueueRequest("ok"));
        var noKey2 = await h.Store.EnqueueAsync(new EnqueueRequest("ok"));

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherType);
        Assert.NotEqual(noKey1, noKey2);

        await h.PassAsync(limit: 10);
        var afterFinish = await h.Store.EnqueueAsync(new EnqueueRequest("ok", DedupeKey: "k1"));
        Assert.NotEqual(first, afterFinish);
    }

    [Fact]
    public async Task Concurrent_duplicate_enqueues_create_one_job()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ =>
            Task.Run(() => h.Store.EnqueueAsync(new EnqueueRequest("ok", DedupeKey: "race")))));

        Assert.Single(ids.Distinct());
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE dedupe_key = 'race'"));
    }

    [Fact]
    public async Task Retry_is_allowed_only_for_failed_or_cancelled_jobs()
    {
        var pending = await h.Store.EnqueueAsync(new EnqueueRequest("ok", RunAt: DateTimeOffset.UtcNow.AddHours(1)));
        var failed = await h.Store.EnqueueAsync(new EnqueueRequest("boom"));
        await h.PassAsync();

        Assert.Equal(new JobActionResult(JobActionOutcome.InvalidState, "pending"), await h.Actions.RetryAsync(pending, "op"));
        Assert.Equal(new JobActionResult(JobActionOutcome.NotFound, null), await h.Actions.RetryAsync(Guid.NewGuid(), "op"));
        Assert.Equal("failed", (await h.Jobs.GetAsync(failed))!.Status);

        Assert.Equal(new JobActionResult(JobActionOutcome.Ok, "pending"), await h.Actions.RetryAsync(failed, "op"));
        var job = (await h.Jobs.GetAsync(failed))!;
        Assert.Equal(0, job.Attempts);
        Assert.Null(job.CompletedAt);
        Assert.Equal("op", job.TriggeredBy);
        Assert.True(job.RunAt <= DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Retry_refuses_when_a_live_job_holds_the_same_dedupe_key()
    {
        var failed = await h.Store.EnqueueAsync(new EnqueueRequest("boom", DedupeKey: "once"));
        await h.PassAsync();
        await h.Store.EnqueueAsync(new EnqueueRequest("boom", DedupeKey: "once", RunAt: DateTimeOffset.UtcNow.AddHours(1)));

        Assert.Equal(new JobActionResult(JobActionOutcome.InvalidState, "failed"), await h.Actions.RetryAsync(failed, "op"));
    }

    [Fact]
    public async Task Cancel_is_allowed_for_pending_and_processing_jobs_only()
    {
        var pending = await h.Store.EnqueueAsync(new EnqueueRequest("ok", RunAt: DateTimeOffset.UtcNow.AddHours(1)));
        var done = await h.Store.EnqueueAsync(new EnqueueRequest("ok"));
        await h.PassAsync();

        Assert.Equal(new JobActionResult(JobActionOutcome.Ok, "cancelled"), await h.Actions.CancelAsync(pending, "op", "why"));
        Assert.Equal(new JobActionResult(JobActionOutcome.InvalidState, "cancelled"), await h.Actions.CancelAsync(pending, "op", null));
        Assert.Equal(new JobActionResult(JobActionOutcome.InvalidState, "succeeded"), await h.Actions.CancelAsync(done, "op", null));
        Assert.Equal(JobActionOutcome.NotFound, (await h.Actions.CancelAsync(Guid.NewGuid(), "op", null)).Outcome);
        var job = (await h.Jobs.GetAsync(pending))!;
        Assert.Equal("cancelled by op: why", job.LastError);
        Assert.Equal(0, (await h.PassAsync()).Processed);
    }

    [Fact]
    public async Task Run_now_makes_a_future_pending_job_due_and_refuses_other_states()
    {
        var later = await h.Store.EnqueueAsync(new EnqueueRequest("ok", RunAt: DateTimeOffset.UtcNow.AddDays(1)));
        Assert.Equal(0, (await h.PassAsync()).Processed);

        Assert.Equal(new JobActionResult(JobActionOutcome.Ok, "pending"), await h.Actions.RunNowAsync(later));
        Assert.Equal(1, (await h.PassAsync()).Succeeded);
        Assert.Equal(new JobActionResult(JobActionOutcome.InvalidState, "succeeded"), await h.Actions.RunNowAsync(later));
        Assert.Equal(JobActionOutcome.NotFound, (await h.Actions.RunNowAsync(Guid.NewGuid())).Outcome);
    }

    [Fact]
    public async Task Cleanup_deletes_only_old_finished_jobs_and_their_attempts_in_batches()
    {
        await h.Store.EnqueueManyAsync("ok", Enumerable.Repeat("{}", 2_500).ToList());
        while ((await h.PassAsync(limit: 10)).Processed > 0)
        {
        }

        await db.ExecuteAsync("UPDATE job_queue SET completed_at = now() - interval '20 days' WHERE status = 'succeeded'");
        await h.Store.EnqueueManyAsync("ok", Enumerable.Repeat("{}", 5).ToList());
        await h.PassAsync(limit: 5);
        var oldPending = await h.Store.EnqueueAsync(new EnqueueRequest("ok", RunAt: DateTimeOffset.UtcNow.AddDays(1)));
        await db.ExecuteAsync("UPDATE job_queue SET created_at = now() - interval '30 days' WHERE id = $1", oldPending);
        var cleanupId = await h.Store.EnqueueAsync(new EnqueueRequest(CleanupHandler.Name, JsonDocument.Parse("{\"batchSize\":1000}").RootElement));

        var report = await h.PassAsync(limit: 1);

        Assert.Equal("succeeded", Assert.Single(report.Results, r => r.Id == cleanupId).Status);
        var output = (await h.Jobs.GetAsync(cleanupId))!.Output!.Value;
        Assert.Equal(2_500, output.GetProperty("deletedJobs").GetInt64());
        Assert.Equal(3, output.GetProperty("batches").GetInt32());
        Assert.Equal(14, output.GetProperty("retentionDays").GetInt32());
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE completed_at < now() - interval '14 days'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue_attempts a WHERE NOT EXISTS (SELECT 1 FROM job_queue q WHERE q.id = a.job_id)"));
        Assert.Equal(5L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE status = 'succeeded' AND task_type = 'ok'"));
        Assert.Equal("pending", (await h.Jobs.GetAsync(oldPending))!.Status);
    }

    [Fact]
    public async Task The_list_pages_newest_first_with_a_keyset_cursor_and_filters()
    {
        await h.Store.EnqueueManyAsync("ok", Enumerable.Repeat("{}", 120).ToList());
        await h.Store.EnqueueManyAsync("boom", Enumerable.Repeat("{}", 5).ToList());

        var seen = new List<Job>();
        Job? last = null;
        do
        {
            var page = await h.Jobs.ListAsync(new JobListQuery(TaskType: "ok", Limit: 50, BeforeId: last?.Id));
            seen.AddRange(page);
            last = page.Count == 50 ? page[^1] : null;
        }
        while (last is not null);

        Assert.Equal(120, seen.Count);
        Assert.Equal(120, seen.Select(j => j.Id).Distinct().Count());
        Assert.All(seen, j => Assert.Equal("ok", j.TaskType));
        // newest first by id (time-ordered ids; uuid order is the order of the lowercase hex text)
        Assert.Equal(seen.Select(j => j.Id).OrderDescending(Comparer<Guid>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()))), seen.Select(j => j.Id));
        Assert.Equal(5, (await h.Jobs.ListAsync(new JobListQuery(Status: "pending", TaskType: "boom"))).Count);
        Assert.Empty(await h.Jobs.ListAsync(new JobListQuery(Status: "failed")));
    }

    [Fact]
    public async Task Health_reports_counts_pause_state_oldest_pending_and_recent_failures()
    {
        await h.Store.EnqueueAsync(new EnqueueRequest("boom"));
        await h.PassAsync();
        var waiting = await h.Store.EnqueueAsync(new EnqueueRequest("ok"));
        await db.ExecuteAsync("UPDATE job_queue SET run_at = now() - interval '10 minutes' WHERE id = $1", waiting);
        await h.Settings.SetSettingsAsync(false, "deploy", "op");

        var health = await h.Get<QueueHealthStore>().GetHealthAsync();

        Assert.Equal(1, health.GetProperty("counts").GetProperty("failed").GetInt32());
        Assert.Equal(1, health.GetProperty("counts").GetProperty("pending").GetInt32());
        Assert.False(health.GetProperty("processingEnabled").GetBoolean());
        Assert.Equal("deploy", health.GetProperty("pausedReason").GetString());
        Assert.InRange(health.GetProperty("oldestPendingAgeSeconds").GetDouble(), 590, 700);
        Assert.Equal("cannot work", health.GetProperty("recentFailures")[0].GetProperty("lastError").GetString());
        Assert.Equal("failed", health.GetProperty("recentRuns")[0].GetProperty("outcome").GetString());
    }
}
