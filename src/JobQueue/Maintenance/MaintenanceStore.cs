using Npgsql;
using NpgsqlTypes;
using static JobQueue.Queue.DbParameters;

namespace JobQueue.Maintenance;

/// <summary>The maintainer's calls into the queue's RPCs (Database/Schema/functions/maintenance/, and
/// flow_control/job_queue_repair_held.sql).</summary>
public sealed class MaintenanceStore(NpgsqlDataSource dataSource)
{
    /// <summary>True when <paramref name="leaderId"/> holds the lease <paramref name="name"/> (now taken or renewed) for <paramref name="ttl"/>.</summary>
    public async Task<bool> ElectAsync(string name, string leaderId, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("SELECT jobqueue.job_queue_leader_elect($1, $2, $3)");
        cmd.Parameters.Add(Text(name));
        cmd.Parameters.Add(Text(leaderId));
        cmd.Parameters.Add(Interval(ttl));
        return (bool)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task ResignAsync(string name, string leaderId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("SELECT jobqueue.job_queue_leader_resign($1, $2)");
        cmd.Parameters.Add(Text(name));
        cmd.Parameters.Add(Text(leaderId));
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The current leader of <paramref name="name"/>, null when nobody holds an unexpired lease.</summary>
    public async Task<string?> GetLeaderAsync(string name, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("SELECT leader_id FROM jobqueue.job_queue_leader_get($1)");
        cmd.Parameters.Add(Text(name));
        return await cmd.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Rescues up to <paramref name="maxJobs"/> jobs whose lease expired; the number rescued.</summary>
    public async Task<int> RescueExpiredAsync(int maxJobs, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("SELECT jobqueue.job_queue_rescue_expired($1)");
        cmd.Parameters.Add(Int(maxJobs));
        return (int)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Makes every pending or processing job's held flag match its task type's limits again; the number of jobs changed.</summary>
    public async Task<int> RepairHeldFlagsAsync(CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("SELECT jobqueue.job_queue_repair_held()");
        return (int)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Takes up to <paramref name="maxRows"/> unreported final failures and hands them to
    /// <paramref name="report"/>; they are deleted only when it returns (one transaction), so a
    /// reporter that fails or dies in between leaves them for the next round. The number taken.
    /// </summary>
    public async Task<int> TakeFinalFailuresAsync(int maxRows, Action<IReadOnlyList<FinalFailure>> report, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var taken = new List<FinalFailure>();
        await using (var cmd = new NpgsqlCommand(
            "SELECT job_id, task_type, attempt, max_attempts, runner_id, error, duration_ms FROM jobqueue.job_queue_take_final_failures($1)",
            connection, transaction))
        {
            cmd.Parameters.Add(Int(maxRows));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                taken.Add(new FinalFailure(
                    reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? "" : reader.GetString(5), reader.GetInt32(6)));
            }
        }

        if (taken.Count > 0)
        {
            report(taken);
        }

        await transaction.CommitAsync(cancellationToken);
        return taken.Count;
    }

}

/// <summary>A job that ran out of attempts when its last attempt's lease expired (job_queue_final_failures).</summary>
public sealed record FinalFailure(Guid JobId, string TaskType, int Attempt, int MaxAttempts, string? RunnerId, string Error, int DurationMs);
