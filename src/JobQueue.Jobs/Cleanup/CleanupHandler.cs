using JobQueue.Audit;
using JobQueue.Cron;
using JobQueue.Queue;
using JobQueue.Runner;
using Npgsql;

namespace JobQueue.Handlers;

/// <summary>Payload of <c>job_queue_cleanup</c>.</summary>
public sealed class CleanupPayload
{
    /// <summary>Finished jobs (and pg_cron run history) older than this many days are deleted.</summary>
    public int RetentionDays { get; set; } = 14;

    /// <summary>Rows per delete statement: each batch is its own short transaction.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Audit log entries (and per-minute throughput counts) older than this many days are deleted.</summary>
    public int AuditRetentionDays { get; set; } = 90;
}

/// <summary>
/// <c>job_queue_cleanup</c>: deletes finished jobs and their attempts older than the retention,
/// in bounded batches, then trims <c>cron.job_run_details</c> the same way, in pg_cron's database
/// (<c>Cron:ConnectionString</c>, which may differ from the app database), and the audit log and the
/// per-minute throughput counts older than their own (longer) retention.
/// </summary>
public sealed class CleanupHandler(JobCleanupStore store, CronJobStore cron, AuditStore audit, QueueThroughputStore throughput, TimeProvider time)
    : JobHandler<CleanupPayload>
{
    public const string Name = "job_queue_cleanup";

    public override string TaskType => Name;

    protected override IEnumerable<PayloadError> Validate(CleanupPayload payload)
    {
        if (payload.RetentionDays is < 1 or > 3650)
        {
            yield return new PayloadError("retentionDays", "must be between 1 and 3650");
        }

        if (payload.BatchSize is < 1 or > 50000)
        {
            yield return new PayloadError("batchSize", "must be between 1 and 50000");
        }

        if (payload.AuditRetentionDays is < 1 or > 3650)
        {
            yield return new PayloadError("auditRetentionDays", "must be between 1 and 3650");
        }
    }

    protected override async Task<object?> HandleAsync(CleanupPayload payload, JobContext context, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var olderThan = time.GetUtcNow().AddDays(-payload.RetentionDays);
        var (jobs, jobBatches) = await DeleteInBatchesAsync(store.CleanupBatchAsync, olderThan, payload.BatchSize, cancellationToken);

        long cronRuns = 0;
        string? cronHistoryError = null;
        try
        {
            (cronRuns, _) = await DeleteInBatchesAsync(cron.TrimRunHistoryAsync, olderThan, payload.BatchSize, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            cronHistoryError = "not trimmed: the database role may not delete from cron.job_run_details";
        }
        catch (CronJobException e)
        {
            cronHistoryError = "not trimmed: " + e.Message;
        }

        var auditOlderThan = time.GetUtcNow().AddDays(-payload.AuditRetentionDays);
        var (auditEntries, _) = await DeleteInBatchesAsync(audit.PruneBatchAsync, auditOlderThan, payload.BatchSize, cancellationToken);
        var throughputMinutes = await throughput.PruneAsync(auditOlderThan, cancellationToken);

        return new
        {
            retentionDays = payload.RetentionDays,
            olderThan,
            deletedJobs = jobs,
            batches = jobBatches,
            deletedCronRuns = cronRuns,
            cronHistoryError,
            auditRetentionDays = payload.AuditRetentionDays,
            deletedAuditEntries = auditEntries,
            deletedThroughputMinutes = throughputMinutes,
            durationMs = (long)time.GetElapsedTime(started).TotalMilliseconds,
        };
    }

    private static async Task<(long Deleted, int Batches)> DeleteInBatchesAsync(
        Func<DateTimeOffset, int, CancellationToken, Task<int>> deleteBatch, DateTimeOffset olderThan, int batchSize,
        CancellationToken cancellationToken)
    {
        long deleted = 0;
        var batches = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = await deleteBatch(olderThan, batchSize, cancellationToken);
            deleted += n;
            if (n > 0)
            {
                batches++;
            }

            if (n < batchSize)
            {
                return (deleted, batches);
            }
        }
    }
}
