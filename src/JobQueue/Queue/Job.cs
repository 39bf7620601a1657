using System.Text.Json;

namespace JobQueue.Queue;

/// <summary>
/// One row of <c>job_queue</c>. <see cref="ReadError"/> says why its payload or output could not be
/// read (written by a producer that bypassed the limits); the runner then fails that job alone.
/// <see cref="TraceParent"/>: the W3C traceparent of the trace that enqueued it, if any.
/// </summary>
public sealed record Job(
    Guid Id,
    string TaskType,
    JsonElement Payload,
    string Status,
    DateTimeOffset RunAt,
    int Attempts,
    int MaxAttempts,
    string? LastError,
    JsonElement? Output,
    string? DedupeKey,
    string? LockedBy,
    DateTimeOffset? LockedUntil,
    string? TriggeredBy,
    string? RequestId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    string? ReadError = null,
    int Priority = 0,
    string? PartitionKey = null,
    string? TraceParent = null)
{
    /// <summary>
    /// How a finished job ended, beyond its status: for <c>succeeded</c>, <c>partial</c> when its handler
    /// reported failed parts (named in <see cref="LastError"/>: <see cref="Runner.PartialJobResult"/>),
    /// else <c>complete</c>; null for a job not succeeded.
    /// </summary>
    public string? Outcome => Status != JobStatus.Succeeded ? null : LastError is null ? JobOutcome.Complete : JobOutcome.Partial;
}

/// <summary>The values of <see cref="Job.Outcome"/>.</summary>
public static class JobOutcome
{
    public const string Complete = "complete";
    public const string Partial = "partial";
}
