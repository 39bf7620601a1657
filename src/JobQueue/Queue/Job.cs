using System.Text.Json;

namespace JobQueue.Queue;

/// <summary>One row of <c>job_queue</c>.</summary>
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
    DateTimeOffset? CompletedAt);
