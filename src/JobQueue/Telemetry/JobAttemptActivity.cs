using System.Diagnostics;
using JobQueue.Queue;
using JobQueue.Runner;

namespace JobQueue.Telemetry;

/// <summary>
/// One trace per job attempt: a root <see cref="ActivityKind.Consumer"/> activity of source
/// <see cref="JobQueueTelemetry.Name"/> (Azure Monitor stores it as a request) around the handler
/// run, with the job's id, task type and attempt as tags and a link to the trace that enqueued the
/// job (<see cref="Job.TraceParent"/>). The runner ends it once the attempt is recorded, with the
/// outcome tag and, when the attempt failed, error status.
/// </summary>
public static class JobAttemptActivity
{
    public const string JobIdTag = "jobqueue.job.id";
    public const string TaskTypeTag = "jobqueue.task_type";
    public const string AttemptTag = "jobqueue.attempt";
    public const string MaxAttemptsTag = "jobqueue.max_attempts";
    public const string RunnerIdTag = "jobqueue.runner.id";
    public const string OutcomeTag = "jobqueue.outcome";

    /// <summary>Display name of an attempt of <paramref name="taskType"/> (the request name in Azure Monitor).</summary>
    public static string NameOf(string taskType) => "run " + taskType;

    /// <summary>
    /// Starts the attempt's activity as the current one, in a new trace (not a child of the runner
    /// pass's own request). Null when nobody listens to the source: then nothing is allocated.
    /// </summary>
    internal static Activity? Start(Job job, string runnerId)
    {
        if (!JobQueueTelemetry.Source.HasListeners())
        {
            return null;
        }

        // a root: the caller's activity (the runner pass's HTTP request or timer invocation) is not its parent
        Activity.Current = null;
        ActivityLink[]? links = W3CTraceParent.TryParse(job.TraceParent, out var enqueuedBy) ? [new ActivityLink(enqueuedBy)] : null;
        return JobQueueTelemetry.Source.StartActivity(
            NameOf(job.TaskType),
            ActivityKind.Consumer,
            parentContext: default,
            tags:
            [
                new(JobIdTag, job.Id.ToString()),
                new(TaskTypeTag, job.TaskType),
                new(AttemptTag, job.Attempts),
                new(MaxAttemptsTag, job.MaxAttempts),
                new(RunnerIdTag, runnerId),
            ],
            links: links);
    }

    /// <summary>The handler threw: an exception event on the attempt (Azure Monitor: an exception in its trace).</summary>
    internal static void HandlerFailed(Activity? activity, Exception exception)
    {
        activity?.SetTag("error.type", exception.GetType().FullName);
        activity?.AddException(exception);
    }

    /// <summary>The handler is done: the attempt's duration ends here, not when the batch is recorded.</summary>
    internal static void HandlerDone(Activity? activity) => activity?.SetEndTime(DateTime.UtcNow);

    /// <summary>The attempt is recorded: its outcome, error status unless it succeeded or was snoozed (given back), and the end of the activity.</summary>
    internal static void Finish(Activity? activity, string outcome, string? error)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(OutcomeTag, outcome);
        if (outcome is not (AttemptOutcome.Succeeded or AttemptOutcome.Snoozed))
        {
            activity.SetStatus(ActivityStatusCode.Error, error ?? outcome);
        }

        activity.Dispose();
    }
}
