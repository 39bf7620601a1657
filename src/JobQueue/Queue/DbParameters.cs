using NpgsqlTypes;
using Npgsql;

namespace JobQueue.Queue;

/// <summary>Typed, nullable parameters for the RPC calls of every store (queue, maintenance, schedules, cron, Game Platform).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "named after the PostgreSQL types they bind")]
public static class DbParameters
{
    public static NpgsqlParameter Text(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Jsonb(string json) =>
        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = json };

    public static NpgsqlParameter Uuid(Guid? id) =>
        new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)id ?? DBNull.Value };

    public static NpgsqlParameter UuidArray(Guid[] ids) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid, Value = ids };

    public static NpgsqlParameter JsonbArray(string[] json) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb, Value = json };

    public static NpgsqlParameter Int(int? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Long(long? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Bool(bool value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Boolean, Value = value };

    public static NpgsqlParameter Timestamp(DateTimeOffset? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)value?.UtcDateTime ?? DBNull.Value };

    public static NpgsqlParameter Interval(TimeSpan? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Interval, Value = (object?)value ?? DBNull.Value };

    /// <summary>The filter's five values, in the order every filtered RPC takes them first.</summary>
    public static NpgsqlParameter[] Filter(JobFilter filter) =>
    [
        Text(filter.Status), Text(filter.TaskType), Timestamp(filter.CreatedAfter), Timestamp(filter.CreatedBefore), Text(filter.PayloadText),
    ];
}
