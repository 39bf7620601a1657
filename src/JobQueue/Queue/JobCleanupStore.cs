using Npgsql;
using static JobQueue.Queue.DbParameters;

namespace JobQueue.Queue;

/// <summary>Deletes finished jobs past their retention (<c>job_queue_cleanup_batch</c>), for the cleanup handler.</summary>
public sealed class JobCleanupStore(NpgsqlDataSource dataSource)
{
    /// <summary>Deletes one batch of finished jobs (and their attempts) completed before <paramref name="olderThan"/>.</summary>
    public async Task<int> CleanupBatchAsync(DateTimeOffset olderThan, int batchSize, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT jobqueue.job_queue_cleanup_batch($1, $2)");
        cmd.Parameters.Add(Timestamp(olderThan));
        cmd.Parameters.Add(Int(batchSize));
        return (int)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }
}
