namespace JobQueue.Queue;

/// <summary>The single row of <c>job_queue_settings</c>.</summary>
public sealed record QueueSettings(
    bool ProcessingEnabled,
    string? PausedReason,
    string? UpdatedBy,
    DateTimeOffset UpdatedAt);
