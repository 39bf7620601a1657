namespace JobQueue.Queue;

/// <summary>
/// The end of one attempt, as sent to <c>job_queue_complete</c>. <see cref="RetryIn"/> null means
/// "do not retry": the job fails for good. <see cref="Snooze"/>: back to pending after
/// <see cref="RetryIn"/> with the attempt given back (recorded as <c>snoozed</c>). <see cref="FollowUp"/>:
/// the job's payload carries a follow-up (<c>then</c>), which the same call enqueues when the job succeeds.
/// </summary>
public sealed record JobCompletion(
    Guid Id,
    bool Succeeded,
    string? OutputJson,
    string? Error,
    TimeSpan? RetryIn,
    int DurationMs,
    bool Snooze = false,
    bool FollowUp = false);

/// <summary>A job's state after its attempt was recorded. Jobs whose lease was lost are absent.</summary>
public sealed record CompletedJob(Guid Id, string Status, int Attempts, string? LastError);
