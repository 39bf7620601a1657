namespace JobQueue.Queue;

/// <summary>
/// A page of the job list, newest first (by id: job ids are time-ordered); the cursor is the last
/// row's id. Besides status and task type, optionally a creation-time window and a payload text.
/// </summary>
public sealed record JobListQuery(
    string? Status = null,
    string? TaskType = null,
    int Limit = 50,
    Guid? BeforeId = null,
    DateTimeOffset? CreatedAfter = null,
    DateTimeOffset? CreatedBefore = null,
    string? PayloadText = null)
{
    public JobListQuery(JobFilter filter, int limit, Guid? beforeId)
        : this(filter.Status, filter.TaskType, limit, beforeId, filter.CreatedAfter, filter.CreatedBefore, filter.PayloadText)
    {
    }
}
