using Npgsql;
using NpgsqlTypes;
using static JobQueue.Queue.DbParameters;

namespace JobQueue.Queue;

/// <summary>Every call the library makes to the task type limit functions (Database/Schema/functions/flow_control/), in one place.</summary>
public sealed class TaskLimitStore(NpgsqlDataSource dataSource)
{
    public const string FromApi = "api";
    public const string FromSettings = "settings";
    public const string FromHandler = "handler";

    private const string Columns =
        "task_type, max_concurrency, partition_by, max_concurrency_per_partition, rate_limit, rate_interval_ms, paused_until, paused_reason, source, updated_by, updated_at";

    public async Task<IReadOnlyList<TaskLimits>> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns}, running, starts_in_window FROM jobqueue.job_queue_get_task_limits()");
        return await ReadAsync(cmd, withCounts: true, cancellationToken);
    }

    /// <summary>Sets a type's limits (all of them: a null clears one); an operator's (<see cref="FromApi"/>) win over settings' defaults.</summary>
    public async Task<TaskLimits?> SetAsync(string taskType, TaskLimitSettings limits, string source, string? updatedBy, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM jobqueue.job_queue_set_task_limits($1, $2, $3, $4, $5, $6, $7, $8)");
        cmd.Parameters.Add(Text(taskType));
        cmd.Parameters.Add(Int(limits.MaxConcurrency));
        cmd.Parameters.Add(Text(limits.PartitionBy));
        cmd.Parameters.Add(Int(limits.MaxConcurrencyPerPartition));
        cmd.Parameters.Add(Int(limits.RateLimit));
        cmd.Parameters.Add(Long(limits.RateIntervalSeconds is { } s ? (long)Math.Round(s * 1000) : null));
        cmd.Parameters.Add(Text(source));
        cmd.Parameters.Add(Text(updatedBy));
        return (await ReadAsync(cmd, withCounts: false, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Holds a type back until <paramref name="until"/> (null: resume). A handler's pause never shortens a longer one.</summary>
    public async Task<TaskLimits?> PauseAsync(
        string taskType, DateTimeOffset? until, string? reason, string source, string? updatedBy, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM jobqueue.job_queue_pause_task_type($1, $2, $3, $4, $5)");
        cmd.Parameters.Add(Text(taskType));
        cmd.Parameters.Add(Timestamp(until));
        cmd.Parameters.Add(Text(reason));
        cmd.Parameters.Add(Text(source));
        cmd.Parameters.Add(Text(updatedBy));
        return (await ReadAsync(cmd, withCounts: false, cancellationToken)).SingleOrDefault();
    }

    private static async Task<IReadOnlyList<TaskLimits>> ReadAsync(NpgsqlCommand cmd, bool withCounts, CancellationToken cancellationToken)
    {
        var rows = new List<TaskLimits>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new TaskLimits(
                reader.GetString(0), IntOrNull(reader, 1), StringOrNull(reader, 2), IntOrNull(reader, 3), IntOrNull(reader, 4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5) / 1000.0,
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6), StringOrNull(reader, 7),
                reader.GetString(8), StringOrNull(reader, 9), reader.GetFieldValue<DateTimeOffset>(10),
                withCounts ? reader.GetInt64(11) : 0, withCounts ? reader.GetInt64(12) : 0));
        }

        return rows;
    }

    private static int? IntOrNull(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);

    private static string? StringOrNull(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
