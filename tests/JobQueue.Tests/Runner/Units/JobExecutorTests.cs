using JobQueue.Runner;

namespace JobQueue.Tests.Runner.Units;

/// <summary>The executor alone (one attempt): its timeouts, cancellations and outcomes, on a fake clock.</summary>
public sealed class JobExecutorTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_handler_past_its_task_timeout_is_cancelled_and_the_attempt_fails_with_a_retry()
    {
        var started = new TaskCompletionSource();
        using var h = new RunnerUnitHarness(
            new RunnerOptions { TaskTimeouts = { ["slow"] = 10 } },
            RunnerUnitHarness.Handler("slow", async ct =>
            {
                started.SetResult();
                await Task.Delay(Timeout.Infinite, ct);
                return null;
            }));
        using var pass = new PassCancellation(h.Time.GetUtcNow() + Budget, h.Time);
        using var cancellation = new AttemptCancellation(pass, h.Options.TaskTimeout("slow"), h.Time);
        Assert.Equal(h.Time.GetUtcNow() + TimeSpan.FromSeconds(10), cancellation.Deadline);

        var attempt = h.Executor.RunAsync(InMemoryRunnerStore.NewJob("slow"), "unit-runner", cancellation);
        await started.Task;
        h.Time.Advance(TimeSpan.FromSeconds(9.9));
        await Task.Delay(5);
        Assert.False(attempt.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(0.1));
        var result = await attempt.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(result.Completion.Succeeded);
        Assert.StartsWith("timed out: the handler ran longer than the timeout of task type 'slow' (10 s", result.Completion.Error, StringComparison.Ordinal);
        Assert.False(result.Completion.Snooze);
        // attempt 1 of 3: a retry after the job backoff (30 s base: 15 to 30 s)
        Assert.InRange(result.Completion.RetryIn!.Value, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task The_pass_deadline_cancels_a_handler_whose_timeout_lies_beyond_it()
    {
        using var h = new RunnerUnitHarness(null, RunnerUnitHarness.UntilCancelled("t"));
        using var pass = new PassCancellation(h.Time.GetUtcNow() + TimeSpan.FromSeconds(5), h.Time);
        using var cancellation = new AttemptCancellation(pass, h.Options.TaskTimeout("t"), h.Time);

        var attempt = h.Executor.RunAsync(InMemoryRunnerStore.NewJob("t"), "unit-runner", cancellation);
        await Task.Delay(5);
        h.Time.Advance(TimeSpan.FromSeconds(5));
        // the producer passes the pass's token on to each handler (FromPass)
        await RunnerUnitHarness.UntilAsync(() => pass.Token.IsCancellationRequested, "the pass's deadline fired");
        cancellation.FromPass();
        var result = await attempt.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("deadline exceeded: the runner pass's time budget ran out", result.Completion.Error);
        Assert.NotNull(result.Completion.RetryIn);
    }

    [Fact]
    public async Task A_host_shutdown_gives_the_job_back_without_using_up_its_attempt()
    {
        using var h = new RunnerUnitHarness(null, RunnerUnitHarness.UntilCancelled("t"));
        using var pass = new PassCancellation(null, h.Time);
        using var cancellation = new AttemptCancellation(pass, h.Options.TaskTimeout("t"), h.Time);

        var attempt = h.Executor.RunAsync(InMemoryRunnerStore.NewJob("t"), "unit-runner", cancellation);
        await Task.Delay(5);
        pass.Cancel(CancelReason.HostShutdown);
        cancellation.FromPass();
        var result = await attempt.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(result.Completion.Snooze);
        Assert.Equal(TimeSpan.Zero, result.Completion.RetryIn);
        Assert.StartsWith("host shutdown: runner unit-runner stopped while the job ran (the handler was cancelled)", result.Completion.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lost_lease_cancels_the_handler_and_says_so()
    {
        using var h = new RunnerUnitHarness(null, RunnerUnitHarness.UntilCancelled("t"));
        using var pass = new PassCancellation(null, h.Time);
        using var cancellation = new AttemptCancellation(pass, null, h.Time);

        var attempt = h.Executor.RunAsync(InMemoryRunnerStore.NewJob("t"), "unit-runner", cancellation);
        await Task.Delay(5);
        cancellation.LoseLease();
        var result = await attempt.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.StartsWith("lease lost:", result.Completion.Error, StringComparison.Ordinal);
        Assert.False(result.Completion.Snooze);
    }

    [Fact]
    public async Task A_failure_on_the_last_attempt_is_final_and_a_success_keeps_its_output()
    {
        using var h = new RunnerUnitHarness(null,
            RunnerUnitHarness.Handler("fails", _ => throw new InvalidOperationException("boom")),
            RunnerUnitHarness.Handler("works", _ => Task.FromResult<object?>(new { Rows = 3 })));
        using var pass = new PassCancellation(null, h.Time);
        using var c1 = new AttemptCancellation(pass, null, h.Time);
        using var c2 = new AttemptCancellation(pass, null, h.Time);

        var failed = await h.Executor.RunAsync(InMemoryRunnerStore.NewJob("fails", attempts: 3, maxAttempts: 3), "unit-runner", c1);
        var succeeded = await h.Executor.RunAsync(InMemoryRunnerStore.NewJob("works"), "unit-runner", c2);

        Assert.Equal("InvalidOperationException: boom", failed.Completion.Error);
        Assert.Null(failed.Completion.RetryIn);
        Assert.True(succeeded.Completion.Succeeded);
        Assert.Equal("""{"rows":3}""", succeeded.Completion.OutputJson);
    }

    [Fact]
    public async Task A_handler_that_pauses_its_task_type_pauses_it_in_the_store_and_snoozes_its_job()
    {
        using var h = new RunnerUnitHarness(null, RunnerUnitHarness.Handler("limited", _ => throw new PauseTaskTypeException(
            new DateTimeOffset(2030, 1, 1, 0, 5, 0, TimeSpan.Zero), "rate limited")));
        using var pass = new PassCancellation(null, h.Time);
        using var cancellation = new AttemptCancellation(pass, null, h.Time);

        var result = await h.Executor.RunAsync(InMemoryRunnerStore.NewJob("limited"), "unit-runner", cancellation);

        Assert.Equal(["pause limited"], h.Store.CallList);
        Assert.True(result.Completion.Snooze);
        Assert.Equal(TimeSpan.FromMinutes(5), result.Completion.RetryIn);
    }
}
