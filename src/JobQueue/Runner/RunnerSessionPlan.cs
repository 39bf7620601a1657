namespace JobQueue.Runner;

/// <summary>
/// What one run of the executor may do. <see cref="MaxJobs"/>: a single pass's limit (null: no limit,
/// a draining pass or the server's loop). <see cref="ClaimUntil"/> / <see cref="Deadline"/>: the
/// pass's budget (null: none, the server's loop). <see cref="Idle"/>: how the server's loop waits
/// for new jobs when the queue is drained; null ends the run once the queue is drained.
/// </summary>
internal sealed record RunnerSessionPlan(
    string RunnerId,
    int? MaxJobs,
    DateTimeOffset? ClaimUntil,
    DateTimeOffset? Deadline,
    bool Force,
    IQueueIdleWaiter? Idle = null);
