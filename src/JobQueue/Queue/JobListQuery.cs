namespace JobQueue.Queue;

/// <summary>A page of the job list, newest first (by id: job ids are time-ordered); the cursor is the last row's id.</summary>
public sealed record JobListQuery(
    string? Status = null,
    string? TaskType = null,
    int Limit = 50,
    Guid? BeforeId = null);
