using System.Text.Json;
using JobQueue.Queue;

namespace JobQueue.Api;

/// <summary>
/// A job as <c>GET admin/jobs</c> lists it: the <see cref="Job"/>'s fields (with <see cref="Job.Outcome"/>) and
/// <see cref="Wait"/>: for a pending job, why it is not running (<see cref="JobWait"/>), else null.
/// </summary>
public record JobView(
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
    string? ReadError,
    int Priority,
    string? PartitionKey,
    string? TraceParent,
    string? Outcome,
    JobWait? Wait)
{
    public static JobView Of(Job job, JobWait? wait) => new(
        job.Id, job.TaskType, job.Payload, job.Status, job.RunAt, job.Attempts, job.MaxAttempts, job.LastError, job.Output,
        job.DedupeKey, job.LockedBy, job.LockedUntil, job.TriggeredBy, job.RequestId, job.CreatedAt, job.UpdatedAt,
        job.StartedAt, job.CompletedAt, job.ReadError, job.Priority, job.PartitionKey, job.TraceParent, job.Outcome, wait);
}

/// <summary><c>GET admin/jobs/{id}</c>: the job as listed, plus its attempts (<c>job_queue_attempts</c>), oldest first.</summary>
public sealed record JobDetail : JobView
{
    private JobDetail(JobView view, IReadOnlyList<JobAttempt> attemptHistory)
        : base(view) => AttemptHistory = attemptHistory;

    public IReadOnlyList<JobAttempt> AttemptHistory { get; init; }

    public static JobDetail Of(JobView view, IReadOnlyList<JobAttempt> attemptHistory) => new(view, attemptHistory);
}

/// <summary><c>GET admin/jobs</c>: a page of jobs, newest first, and the cursor of the next page (null: the last page).</summary>
public sealed record JobListResponse(IReadOnlyList<JobView> Jobs, string? NextCursor);
