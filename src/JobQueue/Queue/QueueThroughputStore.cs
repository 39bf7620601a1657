using Npgsql;

namespace JobQueue.Queue;

/// <summary>Finished attempts in one minute (UTC), by outcome.</summary>
public sealed record MinuteCounts(DateTimeOffset At, long Succeeded, long Failed, long Retried, long LeaseExpired, long Cancelled);

/// <summary>
/// Attempts finished per minute over a window (<c>job_queue_throughput</c>), from counters that the
/// attempt history keeps per minute: the cost depends on the window, not on the size of the tables.
/// Every minute of the window is present (zero where nothing finished), oldest first.
/// </summary>
public sealed class QueueThroughputStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<MinuteCounts>> GetAsync(TimeSpan window, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT minute, succeeded, failed, retried, lease_expired, cancelled FROM jobqueue.job_queue_throughput($1)");
        cmd.Parameters.Add(DbParameters.Interval(window));
        var minutes = new List<MinuteCounts>((int)window.TotalMinutes);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            minutes.Add(new MinuteCounts(
                reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
        }

        return minutes;
    }

    /// <summary>
    /// Deletes the per-minute counts older than <paramref name="olderThan"/> and folds the older-than-an-hour
    /// minutes into one row each (<c>job_queue_throughput_compact</c>); returns the minutes deleted.
    /// </summary>
    public async Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT jobqueue.job_queue_throughput_compact($1)");
        cmd.Parameters.Add(DbParameters.Timestamp(olderThan));
        return (int)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }
}
