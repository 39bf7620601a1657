using System.Text.Json;
using JobQueue.Queue;
using JobQueue.Telemetry;
using Microsoft.Extensions.Logging;

namespace JobQueue.Runner;

/// <summary>
/// The executor: runs ONE attempt of one job and turns whatever happened into its completion. It
/// calls the job's handler with the attempt's token (<see cref="AttemptCancellation"/>: the task
/// type's timeout, the pass's deadline, the loss of the lease, the host's shutdown), catches its
/// outcome (success, partial result, permanent failure, snooze, pause of its task type, retry after,
/// cancellation and why) and picks the retry delay (<see cref="RetryBackoff"/>). Starting attempts,
/// heartbeats and giving back stragglers is <see cref="RunningAttempts"/>' part; recording them the
/// completer's (<see cref="AttemptCompleter"/>).
/// </summary>
internal sealed class JobExecutor(
    JobHandlerRegistry handlers,
    IRunnerStore store,
    RetryBackoff backoff,
    RunnerOptions options,
    TimeProvider time,
    ILogger logger) : IJobExecutor
{
    private static readonly JsonSerializerOptions OutputJson = new(JsonSerializerDefaults.Web);

    public AttemptResult GiveBack(Job job, string runnerId, TimeSpan ran, string detail)
    {
        var durationMs = (long)ran.TotalMilliseconds;
        return new AttemptResult(
            job,
            new JobCompletion(job.Id, false, null, HostShutdownError(runnerId, detail), TimeSpan.Zero, (int)Math.Min(durationMs, int.MaxValue), Snooze: true),
            durationMs);
    }

    private static string HostShutdownError(string runnerId, string detail) =>
        $"host shutdown: runner {runnerId} stopped while the job ran ({detail}); the job was given back without using up an attempt";

    public async Task<AttemptResult> RunAsync(Job job, string runnerId, AttemptCancellation cancellation)
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
            await store.PauseTaskTypeAsync(job.TaskType, e.Until, e.Message, runnerId, CancellationToken.None);
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
                                     $"({options.TaskTimeout(job.TaskType)?.TotalSeconds:0} s, Runner:TaskTimeouts)", null),
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
        var o = options;
        var grace = TimeSpan.FromSeconds(Math.Max(0, o.UnknownTaskTypeGraceSeconds));
        if (time.GetUtcNow() - job.CreatedAt < grace)
        {
            var wait = TimeSpan.FromSeconds(Math.Max(1, o.UnknownTaskTypeRetrySeconds));
            return ($"no handler for task type '{job.TaskType}' on runner {runnerId}: waiting {wait.TotalSeconds:0} s for an instance that has one", wait);
        }

        return ($"unknown task type '{job.TaskType}': no runner had a handler for it within {grace.TotalMinutes:0} minutes of its creation", null);
    }

    private static string? Truncate(string? error) => error is { Length: > 2000 } ? error[..2000] : error;
}
