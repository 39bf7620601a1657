using System.Diagnostics;
using System.Globalization;
using JobQueue.Queue;
using JobQueue.Runner;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Runner;

/// <summary>
/// Heartbeats: a running job's lease is extended while its handler runs (so it outlasts
/// Runner:LeaseSeconds and, in the server's loop, the pass budget); a handler whose lease was taken
/// over is cancelled; a runner that stops heartbeating (a frozen process) loses the job after one
/// lease and its late completion is rejected.
/// </summary>
public sealed class HeartbeatTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    private static DelegateHandler Sleeping(string taskType, TimeSpan duration) =>
        new(taskType, async (_, _, ct) => { await Task.Delay(duration, ct); return new { slept = duration.TotalSeconds }; });

    private async Task<DateTimeOffset?> LockedUntilAsync(Guid id) =>
        await db.ScalarAsync<bool>("SELECT status = 'processing' FROM job_queue WHERE id = $1", id)
            ? await db.ScalarAsync<DateTime>("SELECT locked_until FROM job_queue WHERE id = $1", id)
            : null;

    [Fact]
    public async Task A_job_outlasts_its_lease_in_a_pass_its_lease_extended_while_it_runs()
    {
        await using var h = new RunnerHarness(db, [Sleeping("long", TimeSpan.FromSeconds(5))],
            new Dictionary<string, string?> { ["Runner:LeaseSeconds"] = "2" });
        var id = await h.Store.EnqueueAsync(new EnqueueRequest("long", MaxAttempts: 1));

        var pass = h.PassAsync();
        await Eventually.TrueAsync(async () => await LockedUntilAsync(id) is not null, "the job runs");
        var first = (await LockedUntilAsync(id))!.Value;
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var later = await LockedUntilAsync(id);
        var report = await pass;

        Assert.True(later > first, $"the lease was not extended: {first:O} then {later:O}");
        Assert.Equal((JobStatus.Succeeded, 1), (Assert.Single(report.Results).Status, report.Results[0].Attempts));
        var attempt = Assert.Single(await h.Jobs.GetAttemptsAsync(id));
        Assert.Equal("succeeded", attempt.Outcome);
        Assert.True(attempt.DurationMs >= 4500, $"the job ran {attempt.DurationMs} ms");
    }

    [Fact]
    public async Task In_the_servers_loop_a_job_outlasts_both_the_lease_and_the_pass_budget()
    {
        await using var h = new RunnerHarness(db, [Sleeping("long", TimeSpan.FromSeconds(4))], new Dictionary<string, string?>
        {
            ["Runner:LeaseSeconds"] = "2",
            ["Runner:TimeBudgetSeconds"] = "1",
            ["Runner:ClaimMarginSeconds"] = "0",
        });
        using var stop = new CancellationTokenSource();
        var loop = h.Get<RunnerLoop>().RunAsync(TimeSpan.FromMilliseconds(200), stop.Token);
        try
        {
            var id = await h.Store.EnqueueAsync(new EnqueueRequest("long", MaxAttempts: 1));
            await Eventually.TrueAsync(async () => (await h.Jobs.GetAsync(id))!.Status == JobStatus.Succeeded, "the long job succeeds", 60);

            var attempt = Assert.Single(await h.Jobs.GetAttemptsAsync(id));
            Assert.Equal(("succeeded", 1), (attempt.Outcome, attempt.Attempt));
            Assert.True(attempt.DurationMs >= 3500, $"the job ran {attempt.DurationMs} ms");
        }
        finally
        {
            await stop.CancelAsync();
            await loop.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task A_heartbeat_that_finds_the_job_taken_over_cancels_its_handler_and_records_nothing()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new RunnerHarness(db, [new DelegateHandler("held", async (_, _, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }

            return null;
        })], new Dictionary<string, string?> { ["Runner:LeaseSeconds"] = "2" });
        var id = await h.Store.EnqueueAsync(new EnqueueRequest("held", MaxAttempts: 3));
        var pass = h.PassAsync();
        await Eventually.TrueAsync(async () => await LockedUntilAsync(id) is not null, "the job runs");

        // another runner took the job over (as after a lease that ran out)
        await db.ExecuteAsync("UPDATE job_queue SET locked_by = 'another-runner', attempts = attempts + 1 WHERE id = $1", id);

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var report = await pass.WaitAsync(TimeSpan.FromSeconds(30));
        var row = Assert.Single(report.Results);
        Assert.Equal("lease_lost", row.Status);
        Assert.StartsWith("lease lost", row.LastError);
        var job = (await h.Jobs.GetAsync(id))!;
        Assert.Equal((JobStatus.Processing, "another-runner", 2), (job.Status, job.LockedBy, job.Attempts));
        Assert.Empty(await h.Jobs.GetAttemptsAsync(id));
    }

    [Fact]
    public async Task A_frozen_runner_loses_its_job_after_one_lease_and_its_late_completion_is_rejected()
    {
        await using var h = new RunnerHarness(db, [new DelegateHandler("test_heartbeat", (_, _, _) => Task.FromResult<object?>(new { by = "test" }))]);
        var id = await h.Store.EnqueueAsync(new EnqueueRequest("test_heartbeat", MaxAttempts: 3));

        using var worker = TestWorkerProcess.Start(["heartbeat", db.AppConnectionString, "2"], redirectInput: true);
        try
        {
            Assert.Equal($"STARTED {id}", await worker.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            // alive, it keeps the job past its 2 s lease
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal(0, (await h.PassAsync(force: true)).Processed);
            Assert.StartsWith("heartbeat-worker:", (await h.Jobs.GetAsync(id))!.LockedBy);

            TestWorkerProcess.Signal(worker, "STOP"); // frozen: no more heartbeats
            await Eventually.TrueAsync(async () => await db.ScalarAsync<bool>("SELECT locked_until < now() FROM job_queue WHERE id = $1", id),
                "the frozen worker's lease runs out", 30);
            var report = await h.PassAsync(force: true);
            Assert.Equal((id, JobStatus.Succeeded, 2), (Assert.Single(report.Results).Id, report.Results[0].Status, report.Results[0].Attempts));

            TestWorkerProcess.Signal(worker, "CONT"); // it wakes up and finishes (or is cancelled by its next heartbeat)
            await worker.StandardInput.WriteLineAsync("go");
            await worker.StandardInput.FlushAsync();
            string? line;
            while ((line = await worker.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))) is not null && !line.StartsWith("RESULT", StringComparison.Ordinal))
            {
            }

            Assert.Equal("RESULT lease_lost", line);
            await worker.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            if (!worker.HasExited)
            {
                worker.Kill(entireProcessTree: true);
            }
        }

        var job = (await h.Jobs.GetAsync(id))!;
        Assert.Equal((JobStatus.Succeeded, "test"), (job.Status, job.Output!.Value.GetProperty("by").GetString()));
        var history = await h.Jobs.GetAttemptsAsync(id);
        Assert.Equal(["lease_expired", "succeeded"], history.Select(a => a.Outcome));
        Assert.StartsWith("heartbeat-worker:", history[0].RunnerId);
        Assert.StartsWith("test:", history[1].RunnerId);
    }
}
