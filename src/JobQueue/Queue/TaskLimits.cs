namespace JobQueue.Queue;

/// <summary>
/// A task type's flow control (its row in jobqueue.job_queue_task_limits, in the baseline,
/// Database/Schema/versioned/0002_queue_baseline.sql): global concurrency, concurrency per partition (the
/// job's partition key, else its payload's <see cref="PartitionBy"/> key), starts per interval, and a
/// pause. Null fields are not limited. <see cref="Running"/> and <see cref="StartsInWindow"/> are what
/// the claim sees now.
/// </summary>
public sealed record TaskLimits(
    string TaskType,
    int? MaxConcurrency,
    string? PartitionBy,
    int? MaxConcurrencyPerPartition,
    int? RateLimit,
    double? RateIntervalSeconds,
    DateTimeOffset? PausedUntil,
    string? PausedReason,
    string Source,
    string? UpdatedBy,
    DateTimeOffset UpdatedAt,
    long Running = 0,
    long StartsInWindow = 0);

/// <summary>The limits to set for a task type (null clears one).</summary>
public sealed record TaskLimitSettings(
    int? MaxConcurrency = null, string? PartitionBy = null, int? MaxConcurrencyPerPartition = null,
    int? RateLimit = null, double? RateIntervalSeconds = null);
