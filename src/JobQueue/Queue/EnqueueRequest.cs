using System.Text.Json;

namespace JobQueue.Queue;

/// <summary>Arguments of <c>job_queue_enqueue</c>.</summary>
public sealed record EnqueueRequest(
    string TaskType,
    JsonElement? Payload = null,
    DateTimeOffset? RunAt = null,
    int? MaxAttempts = null,
    string? DedupeKey = null,
    string? TriggeredBy = null,
    string? RequestId = null);
