namespace JobQueue.Api;

/// <summary>
/// <c>GET admin/job-queue/health</c>, for the OpenAPI document: the JSON of <c>job_queue_health</c> and
/// <c>job_queue_database_health</c> (built in SQL, not from this record) plus <see cref="PausedTaskTypes"/>.
/// <c>HealthResponseSchemaTests</c> compares a real answer's properties with this record's.
/// </summary>
public sealed record HealthResponse(
    HealthStatusCounts Counts,
    bool ProcessingEnabled,
    string? PausedReason,
    long DuePending,
    double OldestPendingAgeSeconds,
    IReadOnlyList<HealthStuckJob> StuckJobs,
    IReadOnlyList<HealthRecentFailure> RecentFailures,
    IReadOnlyList<HealthRecentRun> RecentRuns,
    DateTimeOffset CheckedAt,
    double OldestTransactionAgeSeconds,
    long XminHorizonAge,
    IReadOnlyDictionary<string, long> DeadRows,
    IReadOnlyList<HealthPausedTaskType> PausedTaskTypes);

/// <summary>Jobs by status.</summary>
public sealed record HealthStatusCounts(long Pending, long Processing, long Succeeded, long Failed, long Cancelled);

/// <summary>A processing job whose lease ran out.</summary>
public sealed record HealthStuckJob(Guid Id, string TaskType, string? LockedBy, DateTimeOffset? LockedUntil, int Attempts);

/// <summary>A recently failed job.</summary>
public sealed record HealthRecentFailure(Guid Id, string TaskType, int Attempts, string? LastError, DateTimeOffset? CompletedAt);

/// <summary>A recently finished attempt.</summary>
public sealed record HealthRecentRun(Guid JobId, int Attempt, string? RunnerId, string Outcome, DateTimeOffset FinishedAt, int DurationMs, string? Error);

/// <summary>A task type paused right now (by an operator, or by its handler after a 429).</summary>
public sealed record HealthPausedTaskType(string TaskType, DateTimeOffset? PausedUntil, string? PausedReason, string Source);
