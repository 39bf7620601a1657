using JobQueue.Queue;
using Npgsql;

namespace JobQueue.Audit;

/// <summary>The audit log's RPCs: record an action, read a page (newest first), prune old entries in batches.</summary>
public sealed class AuditStore(NpgsqlDataSource dataSource)
{
    public const int MaxActorLength = 200;
    public const int MaxTargetLength = 300;
    public const int MaxDetailLength = 1000;

    public async Task<long> RecordAsync(
        string actor, string action, string? target, string outcome, int status, string? detail, string? requestId,
        CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT jobqueue.job_queue_audit_record($1, $2, $3, $4, $5, $6, $7)");
        cmd.Parameters.Add(DbParameters.Text(Bounded(actor, MaxActorLength)));
        cmd.Parameters.Add(DbParameters.Text(action));
        cmd.Parameters.Add(DbParameters.Text(Bounded(target, MaxTargetLength)));
        cmd.Parameters.Add(DbParameters.Text(outcome));
        cmd.Parameters.Add(DbParameters.Int(status));
        cmd.Parameters.Add(DbParameters.Text(Bounded(detail, MaxDetailLength)));
        cmd.Parameters.Add(DbParameters.Text(requestId));
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>A page, newest first; <paramref name="beforeId"/> is the last id of the previous page.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(
        int limit, long? beforeId, string? action, string? actor, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT id, at, actor, action, target, outcome, status, detail, request_id FROM jobqueue.job_queue_audit_list($1, $2, $3, $4)");
        cmd.Parameters.Add(DbParameters.Int(limit));
        cmd.Parameters.Add(DbParameters.Long(beforeId));
        cmd.Parameters.Add(DbParameters.Text(action));
        cmd.Parameters.Add(DbParameters.Text(actor));
        var entries = new List<AuditEntry>(limit);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8)));
        }

        return entries;
    }

    /// <summary>Deletes one batch of entries older than <paramref name="olderThan"/>; returns how many.</summary>
    public async Task<int> PruneBatchAsync(DateTimeOffset olderThan, int batchSize, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT jobqueue.job_queue_audit_prune($1, $2)");
        cmd.Parameters.Add(DbParameters.Timestamp(olderThan));
        cmd.Parameters.Add(DbParameters.Int(batchSize));
        return (int)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string? Bounded(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
