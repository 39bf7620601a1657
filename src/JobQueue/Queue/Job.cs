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
    string? TraceParent = null);
