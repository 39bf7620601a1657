using JobQueue.Runner;
using Microsoft.Extensions.Logging;

namespace JobQueue.Maintenance;

/// <summary>
/// Turns the jobs that ran out of attempts in a lease rescue (recorded by the rescue in
/// job_queue_final_failures, whether a claim or the maintainer rescued them) into the very event and
/// metric of the runner's own final failures: EventId 1003 at Error in category
/// <c>JobQueue.Runner.JobRunner</c> with JobId, TaskType, Attempt, MaxAttempts, Outcome = failed,
/// DurationMs and Error, and <c>jobqueue.jobs.failed</c>; so the "a job failed for good" alert sees
/// them. Each batch is deleted only after it was logged (at least once, never lost).
/// </summary>
public sealed class FinalFailureReporter(MaintenanceStore store, JobQueueMetrics metrics, ILogger<JobRunner> runnerLogger)
{
    public const int BatchSize = 100;

    public async Task<int> ReportAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        int taken;
        do
        {
            taken = await store.TakeFinalFailuresAsync(BatchSize, Report, cancellationToken);
            total += taken;
        }
        while (taken == BatchSize);

        return total;
    }

    private void Report(IReadOnlyList<FinalFailure> failures)
    {
        foreach (var f in failures)
        {
            using var scope = runnerLogger.BeginScope(new Dictionary<string, object>
            {
                ["JobId"] = f.JobId,
                ["TaskType"] = f.TaskType,
                ["Attempt"] = f.Attempt,
                ["RunnerId"] = f.RunnerId ?? "?",
            });
            metrics.Finished(f.TaskType, AttemptOutcome.Failed, f.DurationMs);
            RunnerLog.AttemptFailed(runnerLogger, f.JobId, f.TaskType, f.Attempt, f.MaxAttempts, AttemptOutcome.Failed, f.DurationMs, f.Error);
        }
    }
}
