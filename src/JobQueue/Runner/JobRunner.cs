using System.Diagnostics;
using System.Text.Json;
using JobQueue.Queue;
using JobQueue.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobQueue.Runner;

/// <summary>
/// One runner pass: claim due jobs (up to the limit, capped by <see cref="RunnerOptions.MaxLimit"/>),
/// run each through its handler, record every attempt in one round trip. Stops claiming when the
/// time budget is nearly spent; handlers' tokens fire at the deadline. Each attempt runs in its own
/// trace (<see cref="JobAttemptActivity"/>) and is logged and counted once it is recorded.
/// </summary>
public sealed class JobRunner(
    JobQueueStore store,
    TaskLimitStore taskLimits,
    JobHandlerRegistry handlers,
    RetryBackoff backoff,
    JobQueueMetrics metrics,
    IOptions<RunnerOptions> options,
    TimeProvider time,
    ILogger<JobRunner> logger)
{
    private static readonly JsonSerializerOptions OutputJson = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(30);

    public async Task<RunnerReport> RunPassAsync(RunPassRequest request, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var startedAt = time.GetTimestamp();
        var budget = TimeSpan.FromSeconds(Math.Max(1, o.TimeBudgetSeconds));
        var lease = TimeSpan.FromSeconds(Math.Max(o.LeaseSeconds, o.TimeBudgetSeconds + 5));
        var runnerId = NewRunnerId(o.RunnerName);
        var limit = Math.Clamp(request.Limit ?? o.DefaultLimit, 1, Math.Max(1, o.MaxLimit));

        if (!request.Force)
        {
            var settings = await store.GetSettingsAsync(cancellationToken);
            if (!settings.ProcessingEnabled)
            {
                RunnerLog.PassPaused(logger, runnerId, settings.PausedReason);
                metrics.Pass(RunnerPassStatus.Paused);
                return RunnerReport.Paused(settings.PausedReason);
            }
        }

        using var deadline = new CancellationTokenSource(budget, time);
        using var handlerToken = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var deadlineAt = time.GetUtcNow() + budget;
        var results = new List<RunnerJobResult>(limit);
        var remaining = limit;
        var passStatus = RunnerPassStatus.Ok;

        while (remaining > 0)
        {
            var left = budget - time.GetElapsedTime(startedAt);
            if (left < TimeSpan.FromSeconds(Math.Min(o.ClaimMarginSeconds, o.TimeBudgetSeconds / 2.0)))
            {
                RunnerLog.PassOutOfTime(logger, runnerId, (long)left.TotalMilliseconds);
                passStatus = RunnerPassStatus.OutOfTime;
                break;
            }

            var jobs = await store.ClaimAsync(remaining, lease, runnerId, cancellationToken);
            if (jobs.Count == 0)
            {
                break;
            }

            metrics.Claimed(jobs.Count);
            var drained = jobs.Count < remaining;
            remaining -= jobs.Count;
            var attempts = await Task.WhenAll(jobs.Select(job => RunAttemptAsync(job, runnerId, deadlineAt, handlerToken.Token)));
            await FinishAsync(runnerId, attempts, results);
            if (drained)
            {
                // Nothing else was due when we claimed; a job retried just now waits for the next pass.
                break;
            }
        }

        var report = new RunnerReport(
            "ok",
            results.Count,
            results.Count(r => r.Status == JobStatus.Succeeded),
            results.Count(r => r.Status != JobStatus.Succeeded),
            results.Count(r => r.Status == JobStatus.Pending),
            results);
        RunnerLog.PassFinished(logger, runnerId, report.Processed, (long)time.GetElapsedTime(startedAt).TotalMilliseconds);
        metrics.Pass(passStatus);
        return report;
    }

    private async Task<AttemptResult> RunAttemptAsync(Job job, string runnerId, DateTimeOffset deadlineAt, CancellationToken token)
    {
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
                var result = await handler.ExecuteAsync(new JobContext(job, runnerId, deadlineAt), token);
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
            error = "deadline exceeded: the runner pass's time budget ran out";
            JobAttemptActivity.HandlerFailed(activity, e);
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
            new JobCompletion(job.Id, error is null, output, Truncate(error), retryIn, (int)Math.Min(durationMs, int.MaxValue), snoozeFor is not null,
                FollowUp: error is null && FollowUps.Has(job.Payload)),
            durationMs,
            activity);
    }

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

    private async Task FinishAsync(string runnerId, AttemptResult[] attempts, List<RunnerJobResult> results)
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

    private sealed record AttemptResult(Job Job, JobCompletion Completion, long DurationMs, Activity? Activity);
}
