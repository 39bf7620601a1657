using System.Text.Json;
using JobQueue.Queue;
using JobQueue.Runner;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Runner;

public sealed class RunnerPassTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public async Task A_pass_runs_due_jobs_stores_output_and_reports_in_the_callers_shape()
    {
        await using var h = new RunnerHarness(db, [new DelegateHandler("echo", (p, ctx, _) => Task.FromResult<object?>(new { doubled = p.Count * 2, attempt = ctx.Attempt }))]);
        var id = await h.Store.EnqueueAsync(new EnqueueRequest("echo", Json("{\"count\":21}")));

        var report = await h.PassAsync();

        Assert.Equal("ok", report.Status);
        Assert.Equal(1, report.Processed);
        Assert.Equal(1, report.Succeeded);
        Assert.Equal(0, report.Failed);
        var row = Assert.Single(report.Results);
        Assert.Equal(id, row.Id);
        Assert.Equal("echo", row.TaskType);
        Assert.Equal("succeeded", row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.Null(row.LastError);
        var job = await h.Jobs.GetAsync(id);
        Assert.Equal(42, job!.Output!.Value.GetProperty("doubled").GetInt32());
        var attempt = Assert.Single(await h.Jobs.GetAttemptsAsync(id));
        Assert.Equal("succeeded", attempt.Outcome);
        Assert.StartsWith("test:", attempt.RunnerId);
    }

    [Fact]
    public async Task A_failing_job_is_retried_until_max_attempts_then_fails_for_good()
    {
        var runs = 0;
        await using var h = new RunnerHarness(db, [new DelegateHandler("flaky", (_, _, _) =>
        {
            Interlocked.Increment(ref runs);
            throw new InvalidOperationException("upstream said no");
        })]);
        var id = await h.Store.EnqueueAsync(new EnqueueRequest("flaky", MaxAttempts: 3));

        var first = await h.PassAsync();
        Assert.Equal("pending", Assert.Single(first.Results).Status);
        Assert.Equal(1, first.Retried);
        await h.PassAsync();
        var last = await h.PassAsync();
        var nothingLeft = await h.PassAsync();

        Assert.Equal(3, runs);
        var row = Assert.Single(last.Results);
        Assert.Equal("failed", row.Status);
        Assert.Equal(3, row.Attempts);
        Assert.Contains("upstream said no", row.LastError);
        Assert.Equal(0, nothingLeft.Processed);
        Assert.Equal(["retry", "retry", "failed"], (await h.Jobs.GetAttemptsAsync(id)).Select(a => a.Outcome));
        Assert.Equal("failed", (await h.Jobs.GetAsync(id))!.Status);
    }

    [Fact]
    public async Task A_retry_waits_for_its_backoff()
    {
        await using var h = new RunnerHarness(db,
            [new DelegateHandler("flaky", (_, _, _) => throw new InvalidOperationException("no"))],
            new Dictionary<string, string?> { ["Runner:Backoff:BaseSeconds"] = "60", ["Runner:Backoff:MaxSeconds"] = "600" });
        var id = await h.Store.EnqueueAsync(new EnqueueRequest("flaky", MaxAttempts: 3));

        await h.PassAsync();
        var again = await h.PassAsync();

        Assert.Equal(0, again.Processed);
        Assert.True(await db.ScalarAsync<bool>(
            "SELECT run_at BETWEEN now() + interval '29 seconds' AND now() + interval '61 seconds' FROM job_queue WHERE id = $1", id));
    }

    [Fact]
    public async Task Invalid_payload_fails_at_once_naming_the_field()
    {
        var ran = false;
        await using var h = new RunnerHarness(db, [new DelegateHandler("typed", (_, _, _) => { ran = true; return Task.FromResult<object?>(null); })]);
        var wrongType = await h.Store.EnqueueAsync(new EnqueueRequest("typed", Json("{\"count\":\"seven\"}"), MaxAttempts: 5));
        var outOfRange = await h.Store.EnqueueAsync(new EnqueueRequest("typed", Json("{\"count\":-1}"), MaxAttempts: 5));

        var report = await h.PassAsync();

        Assert.False(ran);
        Assert.All(report.Results, r => Assert.Equal("failed", r.Status));
        Assert.Contains("count", (await h.Jobs.GetAsync(wrongType))!.LastError);
        Assert.Contains("count: must not be negative", (await h.Jobs.GetAsync(outOfRange))!.LastError);
    }

    [Fact]
    public async Task Paused_processing_claims_nothing_even_when_forced()
    {
        await using var h = new RunnerHarness(db, [new DelegateHandler("t", (_, _, _) => Task.FromResult<object?>(null))]);
        var id = await h.Store.EnqueueAsync(new EnqueueRequest("t"));
        await h.Settings.SetSettingsAsync(false, "maintenance", "test");

        var paused = await h.PassAsync();

        Assert.Equal("paused", paused.Status);
        Assert.Equal("maintenance", paused.PausedReason);
        Assert.Equal(0, paused.Processed);
        Assert.Equal("pending", (await h.Jobs.GetAsync(id))!.Status);

        var forced = await h.PassAsync(force: true);
        Assert.Equal("paused", forced.Status);
        Assert.Equal(0, forced.Processed);
        Assert.Equal("pending", (await h.Jobs.GetAsync(id))!.Status);

        await h.Settings.SetSettingsAsync(true, "ignored when enabling", "test");
        var settings = await h.Settings.GetSettingsAsync();
        Assert.True(settings.ProcessingEnabled);
        Assert.Null(settings.PausedReason);
        Assert.Equal("test", settings.UpdatedBy);
    }

    [Fact]
    public async Task The_limit_is_capped_by_the_max_limit_setting()
    {
        await using var h = new RunnerHarness(db, [new DelegateHandler("t", (_, _, _) => Task.FromResult<object?>(null))],
            new Dictionary<string, string?> { ["Runner:MaxLimit"] = "4", ["Runner:DefaultLimit"] = "2" });
        await h.Store.EnqueueManyAsync("t", Enumerable.Repeat("{}", 10).ToList());

        Assert.Equal(2, (await h.PassAsync()).Processed);
        Assert.Equal(4, (await h.PassAsync(limit: 50)).Processed);
        Assert.Equal(1, (await h.PassAsync(limit: 1)).Processed);
    }

    [Fact]
    public async Task A_handler_past_the_deadline_is_cancelled_and_retried()
    {
        await using var h = new RunnerHarness(db,
            [new DelegateHandler("slow", async (_, _, ct) => { await Task.Delay(Timeout.Infinite, ct); return null; })],
            new Dictionary<string, string?> { ["Runner:TimeBudgetSeconds"] = "1", ["Runner:ClaimMarginSeconds"] = "0" });
        var id = await h.Store.EnqueueAsync(new EnqueueRequest("slow", MaxAttempts: 2));

        var report = await h.PassAsync();

        var row = Assert.Single(report.Results);
        Assert.Equal("pending", row.Status);
        Assert.Contains("deadline", row.LastError);
        Assert.InRange(row.DurationMs, 500, 10_000);
        Assert.Equal("retry", Assert.Single(await h.Jobs.GetAttemptsAsync(id)).Outcome);
    }

    [Fact]
    public async Task A_cancelled_job_keeps_its_state_when_its_runner_finishes_late()
    {
        var started = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        await using var h = new RunnerHarness(db, [new DelegateHandler("wait", async (_, _, _) =>
        {
            started.SetResult();
            await release.Task;
            return new { done = true };
        })]);
        var id = await h.Store.EnqueueAsync(new EnqueueRequest("wait"));

        var pass = h.PassAsync();
        await started.Task;
        Assert.Equal(JobActionOutcome.Ok, (await h.Actions.CancelAsync(id, "operator", "not needed")).Outcome);
        release.SetResult();
        var report = await pass;

        Assert.Equal("lease_lost", Assert.Single(report.Results).Status);
        var job = (await h.Jobs.GetAsync(id))!;
        Assert.Equal("cancelled", job.Status);
        Assert.Null(job.Output);
        Assert.Equal("cancelled", Assert.Single(await h.Jobs.GetAttemptsAsync(id)).Outcome);
    }
}
