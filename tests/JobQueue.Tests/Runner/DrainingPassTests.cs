using System.Collections.Concurrent;
using JobQueue.Queue;
using JobQueue.Runner;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Runner;

/// <summary>
/// The runner's executor through the library: draining passes, the concurrency bound read back from
/// the attempt records, results recorded as they finish, task timeouts, the host's shutdown.
/// </summary>
public sealed class DrainingPassTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task A_draining_pass_runs_every_due_job_with_at_most_concurrency_in_flight_by_the_attempt_records()
    {
        var live = 0;
        var peakSeen = 0;
        await using var h = new RunnerHarness(db, [new DelegateHandler("work", async (_, _, ct) =>
        {
            var now = Interlocked.Increment(ref live);
            InterlockedMax(ref peakSeen, now);
            await Task.Delay(60, ct);
            Interlocked.Decrement(ref live);
            return null;
        })], new Dictionary<string, string?> { ["Runner:Concurrency"] = "4", ["Runner:MaxLimit"] = "2" });
        await h.Store.EnqueueManyAsync("work", Enumerable.Repeat("{}", 40).ToList());

        var report = await h.Runner.RunPassAsync(new RunPassRequest(Drain: true));

        Assert.Equal((40, 40, true), (report.Processed, report.Succeeded, report.Drained));
        Assert.Equal(40, report.Results.Count);
        Assert.Null(report.ResultsOmitted);
        var peak = await AttemptRecords.PeakConcurrencyAsync(db);
        Assert.True(peak <= 4, $"the attempt records show {peak} jobs running at once, above Runner:Concurrency 4");
        Assert.True(peak >= 2, $"the attempt records show no concurrency (peak {peak})");
        Assert.True(peakSeen <= 4, $"handlers saw {peakSeen} running at once");
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE status <> 'succeeded'"));
    }

    [Fact]
    public async Task A_slow_job_holds_neither_the_results_of_fast_ones_nor_new_claims()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new RunnerHarness(db,
        [
            new DelegateHandler("slow", async (_, _, ct) => { await release.Task.WaitAsync(ct); return null; }),
            new DelegateHandler("fast", async (_, _, ct) => { await Task.Delay(20, ct); return null; }),
        ], new Dictionary<string, string?> { ["Runner:Concurrency"] = "2" });
        var slow = await h.Store.EnqueueAsync(new EnqueueRequest("slow", RunAt: DateTimeOffset.UtcNow.AddSeconds(-1)));
        await h.Store.EnqueueManyAsync("fast", Enumerable.Repeat("{}", 10).ToList());

        var pass = h.Runner.RunPassAsync(new RunPassRequest(Drain: true));

        // with one slot taken by the slow job, the ten fast ones run one after another in the other
        // slot, each recorded as it finishes
        await Eventually.TrueAsync(async () => await db.ScalarAsync<long>(
            "SELECT count(*) FROM job_queue WHERE task_type = 'fast' AND status = 'succeeded'") == 10, "the fast jobs are recorded", 60);
        Assert.Equal(JobStatus.Processing, (await h.Jobs.GetAsync(slow))!.Status);
        Assert.False(pass.IsCompleted);

        release.SetResult();
        var report = await pass;
        Assert.Equal((11, 11, true), (report.Processed, report.Succeeded, report.Drained));
        Assert.True(await AttemptRecords.PeakConcurrencyAsync(db) <= 2);
    }

    [Fact]
    public async Task A_single_pass_keeps_its_limit_and_report_shape_and_a_drain_takes_no_limit()
    {
        await using var h = new RunnerHarness(db, [new DelegateHandler("t", (_, _, _) => Task.FromResult<object?>(null))],
            new Dictionary<string, string?> { ["Runner:Concurrency"] = "2", ["Runner:MaxLimit"] = "5" });
        await h.Store.EnqueueManyAsync("t", Enumerable.Repeat("{}", 12).ToList());

        var single = await h.PassAsync(limit: 5);
        Assert.Equal((5, 5), (single.Processed, single.Results.Count));
        Assert.Null(single.Drained);
        var json = System.Text.Json.JsonSerializer.Serialize(single, JobQueue.Api.ApiJson.Options);
        Assert.DoesNotContain("drained", json, StringComparison.Ordinal);
        Assert.DoesNotContain("resultsOmitted", json, StringComparison.Ordinal);

        var drain = await h.Runner.RunPassAsync(new RunPassRequest(Drain: true));
        Assert.Equal((7, true), (drain.Processed, drain.Drained));
        Assert.Contains("\"drained\":true", System.Text.Json.JsonSerializer.Serialize(drain, JobQueue.Api.ApiJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_types_timeout_fires_its_handlers_token_and_the_attempt_is_retried()
    {
        var deadlines = new ConcurrentDictionary<string, DateTimeOffset>();
        await using var h = new RunnerHarness(db,
        [
            new DelegateHandler("stuck", async (_, ctx, ct) =>
            {
                deadlines["stuck"] = ctx.Deadline;
                await Task.Delay(Timeout.Infinite, ct);
                return null;
            }),
            new DelegateHandler("other", (_, ctx, _) =>
            {
                deadlines["other"] = ctx.Deadline;
                return Task.FromResult<object?>(null);
            }),
        ], new Dictionary<string, string?>
        {
            ["Runner:TaskTimeouts:stuck"] = "1",
            ["Runner:TaskTimeoutSeconds"] = "120",
            ["Runner:Backoff:BaseSeconds"] = "60",
            ["Runner:Backoff:MaxSeconds"] = "60",
        });
        var stuck = await h.Store.EnqueueAsync(new EnqueueRequest("stuck", MaxAttempts: 3));
        await h.Store.EnqueueAsync(new EnqueueRequest("other"));
        var started = DateTimeOffset.UtcNow;

        var report = await h.PassAsync();

        var row = report.Results.Single(r => r.Id == stuck);
        Assert.Equal(JobStatus.Pending, row.Status);
        Assert.StartsWith("timed out", row.LastError);
        Assert.Contains("'stuck'", row.LastError);
        Assert.Equal("retry", Assert.Single(await h.Jobs.GetAttemptsAsync(stuck)).Outcome);
        // the handler knew its deadline: its own timeout for "stuck", the default for "other"
        Assert.InRange(deadlines["stuck"] - started, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(30));
        Assert.InRange(deadlines["other"] - started, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(130));
    }

    [Fact]
    public async Task A_host_shutdown_mid_job_gives_the_job_back_without_using_an_attempt_and_the_attempt_says_why()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new RunnerHarness(db, [new DelegateHandler("long", async (_, _, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        })]);
        var id = await h.Store.EnqueueAsync(new EnqueueRequest("long", MaxAttempts: 1));
        var pass = h.Runner.RunPassAsync(new RunPassRequest(Drain: true));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await h.Get<RunnerLifetime>().StopAsync(CancellationToken.None);

        Assert.True(pass.IsCompleted, "the host's stop waits for the pass to record its jobs");
        var report = await pass;
        Assert.Equal(JobStatus.Pending, Assert.Single(report.Results).Status);
        var job = (await h.Jobs.GetAsync(id))!;
        Assert.Equal((JobStatus.Pending, 0, null), (job.Status, job.Attempts, job.LockedBy));
        Assert.True(job.RunAt <= DateTimeOffset.UtcNow.AddSeconds(1), "given back to run again at once");
        var attempt = Assert.Single(await h.Jobs.GetAttemptsAsync(id));
        Assert.Equal("snoozed", attempt.Outcome);
        Assert.StartsWith("host shutdown", attempt.Error);
        Assert.Equal(1, attempt.Attempt);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
