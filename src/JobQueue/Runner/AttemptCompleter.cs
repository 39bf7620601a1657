using System.Diagnostics;
using JobQueue.Queue;
using JobQueue.Telemetry;
using Microsoft.Extensions.Logging;

namespace JobQueue.Runner;

/// <summary>
/// The completer: keeps the attempts that finished (or were given back) until they are recorded, and
/// records them in batches, one <c>job_queue_complete</c> round trip for all of them
/// (<see cref="IsDue"/> says when a batch is due), then logs, counts and traces each one and frees its
/// slot. A failed record keeps the batch for the next try, after the session's database backoff
/// (<see cref="SessionDatabaseRetry"/>); the attempts' leases are extended meanwhile
/// (<see cref="JobIds"/>, the heartbeat).
/// </summary>
internal sealed class AttemptCompleter(
    IRunnerStore store,
    RunnerSlots slots,
    JobQueueMetrics metrics,
    SessionDatabaseRetry dbRetry,
    TimeProvider time,
    ILogger logger,
    string runnerId,
    CancellationToken hostStopping) : IAttemptCompleter
{
    /// <summary>How long one record may take.</summary>
    internal static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(30);

    private readonly List<RunningAttempt> unrecorded = [];
    private DateTimeOffset? firstUnrecordedAt;

    public int Count => unrecorded.Count;

    public IEnumerable<Guid> JobIds => unrecorded.Select(a => a.Job.Id);

    public void Add(RunningAttempt attempt, DateTimeOffset now)
    {
        firstUnrecordedAt ??= now;
        unrecorded.Add(attempt);
    }

    public bool IsDue(DateTimeOffset now, bool recordNow, TimeSpan batchWindow) =>
        unrecorded.Count > 0 && dbRetry.Due(now) && (recordNow || now - firstUnrecordedAt >= batchWindow);

    public async Task<bool> RecordAsync(PassTally tally)
    {
        try
        {
            await FinishAsync(unrecorded.Select(a => a.Result!).ToArray(), tally);
        }
        catch (Exception e) when (e is not OperationCanceledException || !hostStopping.IsCancellationRequested)
        {
            RunnerLog.SessionDatabaseError(logger, runnerId, "record", e.GetType().Name, e.Message, dbRetry.Failed(e).TotalSeconds);
            return false;
        }

        dbRetry.Succeeded();
        foreach (var a in unrecorded.Where(a => a.IsFinished))
        {
            a.Cancellation.Dispose();
        }

        slots.Return(unrecorded.Count);
        unrecorded.Clear();
        firstUnrecordedAt = null;
        return true;
    }

    private async Task FinishAsync(AttemptResult[] attempts, PassTally tally)
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
                tally.Add(new RunnerJobResult(job.Id, job.TaskType, "lease_lost", job.Attempts, a.DurationMs, a.Completion.Error));
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
            tally.Add(new RunnerJobResult(job.Id, job.TaskType, after.Status, after.Attempts, a.DurationMs, after.LastError));
        }
    }
}
