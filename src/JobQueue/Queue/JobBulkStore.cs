using Npgsql;

namespace JobQueue.Queue;

/// <summary>What a bulk action matched and changed.</summary>
/// <param name="Matched">Jobs of the filter in a state the action applies to (failed/cancelled for retry, pending/processing for cancel).</param>
/// <param name="Changed">Jobs changed (0 for a dry run); at most the call's limit.</param>
/// <param name="Limit">The most one call changes.</param>
public sealed record BulkActionResult(long Matched, int Changed, int Limit)
{
    /// <summary>More jobs matched than one call changes.</summary>
    public bool Limited => Matched > Limit;
}

/// <summary>
/// Retry or cancel every job of a <see cref="JobFilter"/> in one call (<c>job_queue_bulk_retry</c>,
/// <c>job_queue_bulk_cancel</c>): a dry run only counts what would be touched, which is what the
/// dashboard's confirmation shows.
/// </summary>
public sealed class JobBulkStore(NpgsqlDataSource dataSource)
{
    /// <summary>Most jobs one call changes (one transaction).</summary>
    public const int MaxJobsPerCall = 10_000;

    public Task<BulkActionResult> RetryAsync(JobFilter filter, bool dryRun, string actor, CancellationToken cancellationToken = default) =>
        CallAsync("SELECT matched, changed FROM jobqueue.job_queue_bulk_retry($1, $2, $3, $4, $5, $6, $7, $8)", filter, dryRun, actor, [], cancellationToken);

    public Task<BulkActionResult> CancelAsync(JobFilter filter, bool dryRun, string actor, string? reason, CancellationToken cancellationToken = default) =>
        CallAsync("SELECT matched, changed FROM jobqueue.job_queue_bulk_cancel($1, $2, $3, $4, $5, $6, $7, $8, $9)", filter, dryRun, actor,
            [DbParameters.Text(reason)], cancellationToken);

    private async Task<BulkActionResult> CallAsync(
        string sql, JobFilter filter, bool dryRun, string actor, NpgsqlParameter[] extra, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddRange(DbParameters.Filter(filter));
        cmd.Parameters.Add(DbParameters.Bool(dryRun));
        cmd.Parameters.Add(DbParameters.Int(MaxJobsPerCall));
        cmd.Parameters.Add(DbParameters.Text(actor));
        cmd.Parameters.AddRange(extra);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new BulkActionResult(reader.GetInt64(0), reader.GetInt32(1), MaxJobsPerCall);
    }
}
