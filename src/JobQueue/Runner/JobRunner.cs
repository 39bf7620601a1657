using System.Diagnostics;
using System.Text.Json;
using JobQueue.Queue;
using JobQueue.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobQueue.Runner;

/// <summary>
/// Runner passes: claim due jobs into this instance's free slots (<see cref="RunnerSlots"/>,
/// <see cref="RunnerOptions.Concurrency"/>), run their handlers concurrently, record finished
/// attempts in batches as they finish (<see cref="RunnerSession"/>). A single pass stops after its
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

    private static readonly JsonSerializerOptions OutputJson = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(30);

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
        var session = Session(new RunnerSessionPlan(runnerId, limit, now + budget - margin, now + budget, request.Force), lifetime.Stopping);
        var tally = new PassTally(limit ?? DrainReportedResults);
        await session.RunAsync(tally);

        var report = tally.Report(request.Drain ? session.Drained : null);
        var passStatus = session.OutOfTime ? RunnerPassStatus.OutOfTime : RunnerPassStatus.Ok;
        RunnerLog.PassFinished(logger, runnerId, report.Processed, (long)time.GetElapsedTime(startedAt).TotalMilliseconds);
        metrics.Pass(passStatus);
        return report;
    }

    private async Task<bool> LoopAsync(IQueueIdleWaiter idle, CancellationToken stoppingToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Stopping, stoppingToken);
        var session = Session(new RunnerSessionPlan(NewRunnerId(options.Value.RunnerName), null, null, null, false, idle), stopping.Token);
        await session.RunAsync(new PassTally(0));
        return true;
    }

    private RunnerSession Session(RunnerSessionPlan plan, CancellationToken stopping) =>
        new(this, store, settingsStore, slots, options.Value, metrics, time, logger, plan, stopping);

    /// <summary>A job the host's shutdown cut off: back to pending at once, its attempt given back, the attempt row saying why.</summary>
    internal AttemptResult GivenBack(Job job, string runnerId, TimeSpan ran, string detail)
    {
        var durationMs = (long)ran.TotalMilliseconds;
        return new AttemptResult(
            job,
            new JobCompletion(job.Id, false, null, HostShutdownError(runnerId, detail), TimeSpan.Zero, (int)Math.Min(durationMs, int.MaxValue), Snooze: true),
            durationMs);
    }

    private static string HostShutdownError(string runnerId, string detail) =>
        $"host shutdown: runner {runnerId} stopped while the job ran ({detail}); the job was given back without using up an attempt";

    internal async Task<AttemptResult> RunAttemptAsync(Job job, string runnerId, AttemptCancellation cancellation)
    {
        var token = cancellation.Token;
        var started = time.GetTimestamp();
        await Task.Yield();
        // ended by FinishAsync once the attempt is recorded (its outcome is known only then)
        var activity = JobAttemptActivity.Start(job, runnerId);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["JobId"] = job.Id,
            ["TaskType"] = job.TaskType,
            ["Attempt"] = job.Attempts,
            ["RunnerId"] = runnerId,
        });

        string? output = null;
        string? error = null;
        string? partial = null;
        var retryable = true;
        TimeSpan? retryAfter = null;
        TimeSpan? snoozeFor = null;
        try
        {
            if (job.ReadError is { } unreadable)
            {
                throw new PermanentJobException(unreadable);
            }

            if (!handlers.TryGet(job.TaskType, out var handler))
            {
                (error, snoozeFor) = UnknownTaskType(job, runnerId);
                retryable = snoozeFor is not null;
            }
            else if (FollowUps.Validate(job.Payload, handlers, whenCreated: false) is { Count: > 0 } followUpErrors)
            {
                throw new InvalidJobPayloadException(followUpErrors);
            }
            else
            {
                var result = await handler.ExecuteAsync(new JobContext(job, runnerId, cancellation.Deadline), token);
                if (result is PartialJobResult done)
                {
                    (result, partial) = (done.Output, done.Error);
                }

                output = result is null ? null : JsonSerializer.Serialize(result, result.GetType(), OutputJson);
            }
        }
        catch (PermanentJobException e)
        {
            error = e.Message;
            retryable = false;
            JobAttemptActivity.HandlerFailed(activity, e);
        }
        catch (SnoozeJobException e)
        {
            error = "snoozed: " + e.Message;
            snoozeFor = e.Delay;
        }
        catch (PauseTaskTypeException e)
        {
            // the whole task type waits; this job too, without using up its attempt
            await taskLimits.PauseAsync(job.TaskType, e.Until, e.Message, TaskLimitStore.FromHandler, runnerId, CancellationToken.None);
            error = $"task type paused until {e.Until:O}: {e.Message}";
            snoozeFor = e.Until - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        catch (RetryLaterJobException e)
        {
            error = e.Message;
            retryAfter = e.RetryAfter;
            JobAttemptActivity.HandlerFailed(activity, e);
        }
        catch (OperationCanceledException e) when (token.IsCancellationRequested)
        {
            (error, snoozeFor) = Cancelled(job, runnerId, cancellation.Reason);
            if (snoozeFor is null)
            {
                JobAttemptActivity.HandlerFailed(activity, e);
            }
        }
        catch (Exception e)
        {
            error = $"{e.GetType().Name}: {e.Message}";
            JobAttemptActivity.HandlerFailed(activity, e);
        }

        JobAttemptActivity.HandlerDone(activity);
        var durationMs = (long)time.GetElapsedTime(started).TotalMilliseconds;
        TimeSpan? retryIn = snoozeFor ?? (error is not null && retryable && job.Attempts < job.MaxAttempts ? backoff.For(job.Attempts, retryAfter) : null);
        return new AttemptResult(
            job,
            new JobCompletion(job.Id, error is null, output, Truncate(error ?? partial), retryIn, (int)Math.Min(durationMs, int.MaxValue), snoozeFor is not null,
                FollowUp: error is null && FollowUps.Has(job.Payload)),
            durationMs,
            activity);
    }

    /// <summary>Why a handler's token fired, as its attempt records it; a host shutdown gives the attempt back.</summary>
    private (string Error, TimeSpan? SnoozeFor) Cancelled(Job job, string runnerId, CancelReason reason) => reason switch
    {
        CancelReason.HostShutdown => (HostShutdownError(runnerId, "the handler was cancelled"), TimeSpan.Zero),
        CancelReason.LeaseLost => ("lease lost: a heartbeat found the job taken over by another runner; the handler was cancelled", null),
        CancelReason.TaskTimeout => ($"timed out: the handler ran longer than the timeout of task type '{job.TaskType}' " +
                                     $"({options.Value.TaskTimeout(job.TaskType)?.TotalSeconds:0} s, Runner:TaskTimeouts)", null),
        _ => ("deadline exceeded: the runner pass's time budget ran out", null),
    };

    /// <summary>
    /// A task type this instance has no handler for: a newer version may have enqueued it during a
    /// rolling deploy, so the job waits (snoozed, its attempt given back) for an instance that has one,
    /// for up to <see cref="RunnerOptions.UnknownTaskTypeGraceSeconds"/> after it was created; then it
    /// fails for good.
    /// </summary>
    private (string Error, TimeSpan? SnoozeFor) UnknownTaskType(Job job, string runnerId)
    {
        var o = options.Value;
        var grace = TimeSpan.FromSeconds(Math.Max(0, o.UnknownTaskTypeGraceSeconds));
        if (time.GetUtcNow() - job.CreatedAt < grace)
        {
            var wait = TimeSpan.FromSeconds(Math.Max(1, o.UnknownTaskTypeRetrySeconds));
            return ($"no handler for task type '{job.TaskType}' on runner {runnerId}: waiting {wait.TotalSeconds:0} s for an instance that has one", wait);
        }

        return ($"unknown task type '{job.TaskType}': no runner had a handler for it within {grace.TotalMinutes:0} minutes of its creation", null);
    }

    internal async Task FinishAsync(string runnerId, AttemptResult[] attempts, PassTally results)
    {
        // The attempts ran: record them even when the caller has gone away.
        using var finishTimeout = new CancellationTokenSource(FinishTimeout, time);
        Dictionary<Guid, CompletedJob> finished;
        try
        {
            finished = (await store.CompleteAsync(runnerId, attempts.Select(a => a.Completion).ToList(), finishTimeout.Token))
                .ToDictionary(f => f.Id);
        }
        catch (Exception e)
        {
            foreach (var a in attempts)
            {
                JobAttemptActivity.Finish(a.Activity, AttemptOutcome.Unrecorded, $"the attempt could not be recorded: {e.GetType().Name}");
            }

            throw;
        }

        foreach (var a in attempts)
        {
            var job = a.Job;
            if (a.Activity is not null)
            {
                // the attempt's events belong to its trace
                Activity.Current = a.Activity;
            }

            if (!finished.TryGetValue(job.Id, out var after))
            {
                metrics.Finished(job.TaskType, AttemptOutcome.LeaseLost, a.DurationMs);
                RunnerLog.AttemptLeaseLost(logger, job.Id, job.TaskType, job.Attempts, job.MaxAttempts, AttemptOutcome.LeaseLost, a.DurationMs);
                JobAttemptActivity.Finish(a.Activity, AttemptOutcome.LeaseLost, "lease lost: the result was discarded");
                results.Add(new RunnerJobResult(job.Id, job.TaskType, "lease_lost", job.Attempts, a.DurationMs, a.Completion.Error));
                continue;
            }

            var outcome = after.Status switch
            {
                JobStatus.Succeeded => AttemptOutcome.Succeeded,
                JobStatus.Pending when a.Completion.Snooze => AttemptOutcome.Snoozed,
                JobStatus.Pending => AttemptOutcome.Retry,
                _ => AttemptOutcome.Failed,
            };
            metrics.Finished(job.TaskType, outcome, a.DurationMs);
            switch (outcome)
            {
                case AttemptOutcome.Succeeded when after.LastError is { } failedParts:
                    metrics.Partial(job.TaskType);
                    RunnerLog.AttemptPartial(logger, job.Id, job.TaskType, job.Attempts, job.MaxAttempts, JobOutcome.Partial, a.DurationMs, failedParts);
                    break;
                case AttemptOutcome.Succeeded:
                    RunnerLog.AttemptSucceeded(logger, job.Id, job.TaskType, job.Attempts, job.MaxAttempts, outcome, a.DurationMs);
                    break;
                case AttemptOutcome.Snoozed:
                    RunnerLog.AttemptSnoozed(logger, job.Id, job.TaskType, job.Attempts, job.MaxAttempts, outcome, a.DurationMs,
                        a.Completion.RetryIn?.TotalSeconds ?? 0, after.LastError ?? "");
                    break;
                case AttemptOutcome.Retry:
                    RunnerLog.AttemptRetry(logger, job.Id, job.TaskType, job.Attempts, job.MaxAttempts, outcome, a.DurationMs,
                        a.Completion.RetryIn?.TotalSeconds ?? 0, after.LastError ?? "");
                    break;
                default:
                    RunnerLog.AttemptFailed(logger, job.Id, job.TaskType, job.Attempts, job.MaxAttempts, outcome, a.DurationMs, after.LastError ?? "");
                    break;
            }

            JobAttemptActivity.Finish(a.Activity, outcome, after.LastError);
            results.Add(new RunnerJobResult(job.Id, job.TaskType, after.Status, after.Attempts, a.DurationMs, after.LastError));
        }
    }

    private static string NewRunnerId(string? name) =>
        $"{(string.IsNullOrWhiteSpace(name) ? Environment.MachineName : name)}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    private static string? Truncate(string? error) => error is { Length: > 2000 } ? error[..2000] : error;

    internal sealed record AttemptResult(Job Job, JobCompletion Completion, long DurationMs, Activity? Activity = null);
}
