using JobQueue.Runner;

namespace JobQueue.Tests.Runner.Units;

/// <summary>
/// The producer's loop in a pass (the pass mode) on a fake clock and an in-memory store: the order of
/// its store calls for one claimed batch, the heartbeat, a lost lease and the give-back at shutdown.
/// </summary>
public sealed class JobProducerTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(0.5); // LeaseSeconds 3: heartbeat every second, ticks every half

    [Fact]
    public async Task One_claimed_batch_is_one_claim_and_one_complete()
    {
        using var h = new RunnerUnitHarness(null, RunnerUnitHarness.Handler("t", _ => Task.FromResult<object?>(null)));
        for (var i = 0; i < 3; i++)
        {
            h.Store.Add("t");
        }

        var tally = new PassTally(10);
        await Task.Run(() => h.Pass(5, Budget, out var mode).RunAsync(tally)).WaitAsync(TimeSpan.FromSeconds(10));

        // a pass's pause check is its caller's; the claim comes back short (drained), the batch is recorded once every handler returned
        Assert.Equal(["claim 5", "complete 3"], h.Store.CallList);
        Assert.Equal(3, tally.Report(true).Succeeded);
        Assert.Equal(0, h.Slots.InUse);
    }

    [Fact]
    public async Task A_draining_pass_claims_again_after_recording_a_full_claim()
    {
        using var h = new RunnerUnitHarness(new RunnerOptions { LeaseSeconds = 3, Concurrency = 2 }, RunnerUnitHarness.Handler("t", _ => Task.FromResult<object?>(null)));
        for (var i = 0; i < 3; i++)
        {
            h.Store.Add("t");
        }

        var tally = new PassTally(10);
        PassMode mode = null!;
        await Task.Run(() => h.Pass(null, Budget, out mode).RunAsync(tally)).WaitAsync(TimeSpan.FromSeconds(10));

        // a pass that claims more records each finished attempt at once (its slot is wanted), then claims
        // into the freed slot: never two claims without a record between them, never more than two slots
        var calls = h.Store.CallList;
        Assert.Equal("claim 2", calls[0]);
        Assert.DoesNotContain(calls.Zip(calls.Skip(1)), pair => pair.First.StartsWith("claim", StringComparison.Ordinal) && pair.Second.StartsWith("claim", StringComparison.Ordinal));
        Assert.Equal(3, calls.Where(c => c.StartsWith("complete", StringComparison.Ordinal)).Sum(c => int.Parse(c["complete ".Length..], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.StartsWith("complete", calls[^1], StringComparison.Ordinal);
        Assert.True(mode.Drained);
        Assert.Equal(3, tally.Processed);
    }

    [Fact]
    public async Task Running_jobs_get_heartbeats_and_a_handler_whose_job_was_taken_over_is_cancelled()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var h = new RunnerUnitHarness(null, RunnerUnitHarness.Handler("t", async ct =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        }));
        var job = h.Store.Add("t");
        var tally = new PassTally(10);
        var run = Task.Run(() => h.Pass(5, Budget, out _).RunAsync(tally));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await h.AdvanceUntilAsync(() => h.Store.CallList.Count(c => c == "extend 1") == 2, Tick, TimeSpan.FromSeconds(3), "two heartbeats");
        h.Store.TakeOver(job.Id);
        await h.AdvanceUntilAsync(() => run.IsCompleted, Tick, TimeSpan.FromSeconds(3), "the pass ended");
        await run;

        Assert.Equal(["claim 5", "extend 1", "extend 1", "extend 1", "complete 1"], h.Store.CallList);
        var completion = Assert.Single(Assert.Single(h.Store.Completed));
        Assert.StartsWith("lease lost:", completion.Error, StringComparison.Ordinal);
        Assert.Equal("lease_lost", Assert.Single(tally.Report(null).Results).Status);
        Assert.Equal(0, h.Slots.InUse);
    }

    [Fact]
    public async Task At_shutdown_a_handler_that_stops_is_given_back_at_once_and_one_that_does_not_after_the_grace()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var h = new RunnerUnitHarness(null,
            RunnerUnitHarness.UntilCancelled("polite"),
            RunnerUnitHarness.Handler("stubborn", async _ =>
            {
                await release.Task;
                return null;
            }));
        var polite = h.Store.Add("polite");
        var stubborn = h.Store.Add("stubborn");
        var tally = new PassTally(10);
        var run = Task.Run(() => h.Pass(5, Budget, out _).RunAsync(tally));
        await RunnerUnitHarness.UntilAsync(() => h.Store.CallList.Count > 0 && h.Slots.InUse == 2, "both jobs started");

        await h.HostStopping.CancelAsync();
        await RunnerUnitHarness.UntilAsync(() => h.Store.Completed.Count == 1, "the polite handler's job was given back");
        var first = Assert.Single(Assert.Single(h.Store.Completed));
        Assert.Equal(polite.Id, first.Id);
        Assert.True(first.Snooze);
        Assert.Equal(TimeSpan.Zero, first.RetryIn);
        Assert.False(run.IsCompleted);

        var stoppedAt = h.Time.GetUtcNow();
        await h.AdvanceUntilAsync(() => run.IsCompleted, Tick, TimeSpan.FromSeconds(11), "the stubborn handler's job was given back");
        await run;
        release.SetResult();

        Assert.True(h.Time.GetUtcNow() - stoppedAt >= RunningAttempts.ShutdownGrace);
        var second = Assert.Single(h.Store.Completed.Last());
        Assert.Equal(stubborn.Id, second.Id);
        Assert.True(second.Snooze);
        Assert.Contains("the handler did not stop within 10 s", second.Error, StringComparison.Ordinal);
        Assert.Equal(0, h.Slots.InUse);
    }
}
