using System.Text.Json;

namespace JobQueue.Queue;

/// <summary>
/// Arguments of <c>job_queue_enqueue</c>. <see cref="Priority"/>: -100..100, higher runs first (default 0).
/// <see cref="PartitionKey"/>: the partition of a per-partition concurrency limit (default: the payload key the limit names).
/// <see cref="TraceParent"/>: the enqueuing trace's W3C
/// traceparent; null = the current activity's (<see cref="Telemetry.W3CTraceParent.Current"/>).
/// </summary>
public sealed record EnqueueRequest(
    string TaskType,
    JsonElement? Payload = null,
    DateTimeOffset? RunAt = null,
    int? MaxAttempts = null,
    string? DedupeKey = null,
    string? TriggeredBy = null,
    string? RequestId = null,
    int? Priority = null,
    string? PartitionKey = null,
    string? TraceParent = null);
