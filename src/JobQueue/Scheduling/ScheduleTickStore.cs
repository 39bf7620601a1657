using Npgsql;
using NpgsqlTypes;
using static JobQueue.Queue.DbParameters;

namespace JobQueue.Scheduling;

/// <summary>A schedule's recorded ticks (<c>jobqueue.job_queue_schedule_ticks</c>, in the baseline, Database/Schema/versioned/0002_queue_baseline.sql).</summary>
public sealed record ScheduleTick(
    string Name, DateTimeOffset LastTick, string? FiredBy, DateTimeOffset FiredAt,
    long MissedTicks, DateTimeOffset? LastMissedTick, string? LastMissedAction, DateTimeOffset? LastMissedAt);

/// <summary>Every call the library makes to the schedule tick functions, in one place.</summary>
public sealed class ScheduleTickStore(NpgsqlDataSource dataSource)
{
    /// <summary>True for the one caller (across instances) that fires schedule <paramref name="name"/>'s <paramref name="tick"/>.</summary>
    public async Task<bool> ClaimTickAsync(string name, DateTimeOffset tick, string instance, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT jobqueue.job_queue_claim_schedule_tick($1, $2, $3)");
        cmd.Parameters.Add(Text(name));
        cmd.Parameters.Add(Timestamp(tick));
        cmd.Parameters.Add(Text(instance));
        return (bool)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// True for the one caller (across instances) that handles <paramref name="missed"/> missed ticks
    /// of <paramref name="name"/> up to <paramref name="tick"/>; records them and the action taken.
    /// </summary>
    public async Task<bool> ClaimMissedTickAsync(
        string name, DateTimeOffset tick, int missed, string action, string instance, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT jobqueue.job_queue_claim_missed_tick($1, $2, $3, $4, $5)");
        cmd.Parameters.Add(Text(name));
        cmd.Parameters.Add(Timestamp(tick));
        cmd.Parameters.Add(Int(missed));
        cmd.Parameters.Add(Text(action));
        cmd.Parameters.Add(Text(instance));
        return (bool)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyDictionary<string, ScheduleTick>> GetTicksAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT name, last_tick, fired_by, fired_at, missed_ticks, last_missed_tick, last_missed_action, last_missed_at FROM jobqueue.job_queue_get_schedule_ticks()");
        var ticks = new Dictionary<string, ScheduleTick>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ticks[reader.GetString(0)] = new ScheduleTick(
                reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7));
        }

        return ticks;
    }
}
