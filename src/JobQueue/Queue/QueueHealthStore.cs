using System.Text.Json;
using Npgsql;
using static JobQueue.Queue.DbParameters;

namespace JobQueue.Queue;

/// <summary>The queue's health report and the runner's queue gauges (<c>job_queue_health</c>, <c>job_queue_pending_gauges</c>).</summary>
public sealed class QueueHealthStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Counts, pause state, oldest pending age, stuck jobs, recent failures and runs, and the database's
    /// signals for a held xmin horizon (oldest open transaction, dead rows: job_queue_database_health).
    /// </summary>
    public async Task<JsonElement> GetHealthAsync(int recentLimit = 10, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT (jobqueue.job_queue_health($1) || jobqueue.job_queue_database_health())::text");
        cmd.Parameters.Add(Int(recentLimit));
        var json = (string)(await cmd.ExecuteScalarAsync(cancellationToken))!;
        return DbJson.Parse(json);
    }

    /// <summary>Due pending jobs and the oldest one's age in seconds, read from the partial index of pending jobs.</summary>
    public async Task<(long DuePending, double OldestPendingAgeSeconds)> GetPendingGaugesAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT due_pending, oldest_pending_age_seconds FROM jobqueue.job_queue_pending_gauges()");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetDouble(1));
    }
}
