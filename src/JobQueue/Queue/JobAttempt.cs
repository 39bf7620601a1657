namespace JobQueue.Queue;

/// <summary>One row of <c>job_queue_attempts</c>: what an operator reads as a job's history.</summary>
public sealed record JobAttempt(
    long Id,
    Guid JobId,
    int Attempt,
    string? RunnerId,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Outcome,
    string? Error,
    int DurationMs);
