using JobQueue.Queue;
using JobQueue.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobQueue.Runner;

/// <summary>
/// Runner passes: claim due jobs into this instance's free slots (<see cref="RunnerSlots"/>,
/// <see cref="RunnerOptions.Concurrency"/>), run their handlers concurrently, record finished
/// attempts in batches as they finish: a producer (<see cref="JobProducer"/>) in the pass's mode
/// (<see cref="PassMode"/>, or the server's <see cref="LoopMode"/>), the executor (<see cref="JobExecutor"/>)
/// and the completer (<see cref="AttemptCompleter"/>); src/JobQueue/Runner/README.md shows how a job flows. A single pass stops after its
/// limit (capped by <see cref="RunnerOptions.MaxLimit"/>) or when no due job is left; a draining pass
/// (<see cref="RunPassRequest.Drain"/>) only when no due job is left or its time budget is spent. Passes
/// run on the host's lifetime (<see cref="RunnerLifetime"/>), never on their caller's token: a caller
/// that goes away cancels nothing. Handlers' tokens fire at the pass's deadline, their task type's
/// timeout, the loss of their lease, or the host's shutdown (their jobs are then given back).
/// Each attempt runs in its own trace (<see cref="JobAttemptActivity"/>) and is logged and counted
/// once it is recorded.
/// </summary>
public sealed class JobRunner(
    JobQueueStore store,
    QueueSettingsStore settingsStore,
    TaskLimitStore taskLimits,
    JobHandlerRegistry handlers,
    RetryBackoff backoff,
    JobQueueMetrics metrics,
    RunnerSlots slots,
    RunnerLifetime lifetime,
    IOptions<RunnerOptions> options,
    TimeProvider time,
    ILogger<JobRunner> logger)
{
    /// <summary>A draining pass lists at most this many results (all are counted).</summary>
    public const int DrainReportedResults = 1000;

    private readonly IRunnerStore runnerStore = new RunnerStore(store, settingsStore, taskLimits);

    /// <summary>
    /// One pass. <paramref name="cancellationToken"/> only cancels the pause check before it starts;
    /// once it runs, the pass goes on until it is done, out of time, or the host stops.
    /// </summary>
    public Task<RunnerReport> RunPassAsync(RunPassRequest request, CancellationToken cancellationToken = default) =>
        lifetime.TrackAsync(PassAsync(request, cancellationToken));

    /// <summary>
    /// The server's runner loop: one executor without a budget that claims whenever slots are free and
    /// jobs are due, and waits through <paramref name="idle"/> (LISTEN/NOTIFY, the poll) while drained.
    /// Its jobs run until their task timeout. Ends when <paramref name="stoppingToken"/> fires or the host stops.
    /// </summary>
    internal Task RunLoopAsync(IQueueIdleWaiter idle, CancellationToken stoppingToken) =>
        lifetime.TrackAsync(LoopAsync(idle, stoppingToken));

    private async Task<RunnerReport> PassAsync(RunPassRequest request, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var startedAt = time.GetTimestamp();
        var runnerId = NewRunnerId(o.RunnerName);
        // a pause holds for forced passes too: the claim itself refuses while processing is paused
        var settings = await settingsStore.GetSettingsAsync(cancellationToken);
        if (!settings.ProcessingEnabled)
        {
            RunnerLog.PassPaused(logger, runnerId, settings.PausedReason);
            metrics.Pass(RunnerPassStatus.Paused);
            return RunnerReport.Paused(settings.PausedReason);
        }

        var now = time.GetUtcNow();
        var budget = TimeSpan.FromSeconds(Math.Max(1, o.TimeBudgetSeconds));
        var margin = TimeSpan.FromSeconds(Math.Min(o.ClaimMarginSeconds, o.TimeBudgetSeconds / 2.0));
        int? limit = request.Drain ? null : Math.Clamp(request.Limit ?? o.DefaultLimit, 1, Math.Max(1, o.MaxLimit));
        var mode = new PassMode(runnerId, limit, now + budget - margin, now + budget, request.Force, logger);
        var tally = new PassTally(limit ?? DrainReportedResults);
        await Producer(mode, lifetime.Stopping).RunAsync(tally);

        var report = tally.Report(request.Drain ? mode.Drained : null);
        var passStatus = mode.OutOfTime ? RunnerPassStatus.OutOfTime : RunnerPassStatus.Ok;
        RunnerLog.PassFinished(logger, runnerId, report.Processed, (long)time.GetElapsedTime(startedAt).TotalMilliseconds);
        metrics.Pass(passStatus);
        return report;
    }

    private async Task<bool> LoopAsync(IQueueIdleWaiter idle, CancellationToken stoppingToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Stopping, stoppingToken);
        await Producer(new LoopMode(NewRunnerId(options.Value.RunnerName), idle), stopping.Token).RunAsync(new PassTally(0));
        return true;
    }

    private JobProducer Producer(IRunnerMode mode, CancellationToken stopping)
    {
        var o = options.Value;
        var executor = new JobExecutor(handlers, runnerStore, backoff, o, time, logger);
        // the session's database backoff: a failed claim or record pauses both
        var dbRetry = new SessionDatabaseRetry(time);
        var completer = new AttemptCompleter(runnerStore, slots, metrics, dbRetry, time, logger, mode.RunnerId, stopping);
        return new JobProducer(mode, runnerStore, executor, completer, dbRetry, slots, o, metrics, time, logger, stopping);
    }

    private static string NewRunnerId(string? name) =>
        $"{(string.IsNullOrWhiteSpace(name) ? Environment.MachineName : name)}:{Environment.ProcessId}:{Guid.NewGuid():N}";

}
