using Npgsql;
using NpgsqlTypes;
using static JobQueue.Queue.DbParameters;

namespace JobQueue.Queue;

/// <summary>
/// Reads jobs, their attempt history and why pending ones wait (<c>job_queue_list</c>, <c>job_queue_get</c>,
/// <c>job_queue_get_attempts</c>, <c>job_queue_explain_wait</c>): the API's and dashboard's view.
/// </summary>
public sealed class JobReadStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<Job>> ListAsync(JobListQuery query, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT * FROM jobqueue.job_queue_list($1, $2, $3, $4, $5, $6, $7)");
        cmd.Parameters.Add(Text(query.Status));
        cmd.Parameters.Add(Text(query.TaskType));
        cmd.Parameters.Add(Int(query.Limit));
        cmd.Parameters.Add(Uuid(query.BeforeId));
        cmd.Parameters.Add(Timestamp(query.CreatedAfter));
        cmd.Parameters.Add(Timestamp(query.CreatedBefore));
        cmd.Parameters.Add(Text(query.PayloadText));
        return await JobRows.ReadAsync(cmd, cancellationToken);
    }

    public async Task<Job?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT * FROM jobqueue.job_queue_get($1)");
        cmd.Parameters.Add(Uuid(id));
        var jobs = await JobRows.ReadAsync(cmd, cancellationToken);
        return jobs.Count == 0 ? null : jobs[0];
    }

    /// <summary>Why each of these jobs waits, for those that are pending (one round trip).</summary>
    public async Task<IReadOnlyDictionary<Guid, JobWait>> ExplainWaitAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
    {
        var waits = new Dictionary<Guid, JobWait>();
        if (ids.Count == 0)
        {
            return waits;
        }

        await using var cmd = dataSource.CreateCommand(
            "SELECT i, w.reason, w.message, w.at, w.count FROM unnest($1::uuid[]) i, LATERAL jobqueue.job_queue_explain_wait(i) w");
        cmd.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            waits[reader.GetGuid(0)] = new JobWait(
                reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4));
        }

        return waits;
    }

    public async Task<IReadOnlyList<JobAttempt>> GetAttemptsAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT id, job_id, attempt, runner_id, started_at, finished_at, outcome, error, duration_ms FROM jobqueue.job_queue_get_attempts($1)");
        cmd.Parameters.Add(Uuid(jobId));
        var attempts = new List<JobAttempt>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            attempts.Add(new JobAttempt(
                reader.GetInt64(0), reader.GetGuid(1), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetInt32(8)));
        }

        return attempts;
    }
}
