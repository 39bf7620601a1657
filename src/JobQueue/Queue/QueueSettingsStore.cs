using Npgsql;
using NpgsqlTypes;
using static JobQueue.Queue.DbParameters;

namespace JobQueue.Queue;

/// <summary>The queue's pause switch, the single row of <c>job_queue_settings</c> (<c>job_queue_get_settings</c>, <c>job_queue_set_settings</c>).</summary>
public sealed class QueueSettingsStore(NpgsqlDataSource dataSource)
{
    public async Task<QueueSettings> GetSettingsAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT processing_enabled, paused_reason, updated_by, updated_at FROM jobqueue.job_queue_get_settings()");
        return await ReadSettingsAsync(cmd, cancellationToken);
    }

    public async Task<QueueSettings> SetSettingsAsync(
        bool processingEnabled, string? pausedReason, string? updatedBy, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT processing_enabled, paused_reason, updated_by, updated_at FROM jobqueue.job_queue_set_settings($1, $2, $3)");
        cmd.Parameters.Add(Bool(processingEnabled));
        cmd.Parameters.Add(Text(pausedReason));
        cmd.Parameters.Add(Text(updatedBy));
        return await ReadSettingsAsync(cmd, cancellationToken);
    }

    private static async Task<QueueSettings> ReadSettingsAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("job_queue_settings has no row: run the migrations");
        }

        return new QueueSettings(
            reader.GetBoolean(0), reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3));
    }
}
