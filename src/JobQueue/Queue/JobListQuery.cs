namespace JobQueue.Queue;

/// <summary>A page of the job list, newest first; the cursor is the last row's (created_at, id).</summary>
public sealed record JobListQuery(
    string? Status = null,
    string? TaskType = null,
    int Limit = 50,
    DateTimeOffset? BeforeCreatedAt = null,
    Guid? BeforeId = null);
