using Npgsql;

namespace JobQueue.Queue;

/// <summary>Reads the rows of <c>job_queue</c> that the RPCs return (<c>SELECT *</c>: claim, list, get) into <see cref="Job"/>s.</summary>
public static class JobRows
{
    public static async Task<IReadOnlyList<Job>> ReadAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        var jobs = new List<Job>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!reader.HasRows)
        {
            return jobs;
        }

        var o = new JobOrdinals(reader);
        while (await reader.ReadAsync(cancellationToken))
        {
            // one unreadable row (a producer that bypassed the limits) must not fail the whole batch
            string? readError = null;
            var payload = DbJson.TryParse(reader.GetString(o.Payload), "payload", ref readError) ?? DbJson.EmptyObject;
            var output = reader.IsDBNull(o.Output) ? null : DbJson.TryParse(reader.GetString(o.Output), "output", ref readError);
            jobs.Add(new Job(
                reader.GetGuid(o.Id),
                reader.GetString(o.TaskType),
                payload,
                reader.GetString(o.Status),
                reader.GetFieldValue<DateTimeOffset>(o.RunAt),
                reader.GetInt32(o.Attempts),
                reader.GetInt32(o.MaxAttempts),
                NullableString(reader, o.LastError),
                output,
                NullableString(reader, o.DedupeKey),
                NullableString(reader, o.LockedBy),
                NullableTime(reader, o.LockedUntil),
                NullableString(reader, o.TriggeredBy),
                NullableString(reader, o.RequestId),
                reader.GetFieldValue<DateTimeOffset>(o.CreatedAt),
                reader.GetFieldValue<DateTimeOffset>(o.UpdatedAt),
                NullableTime(reader, o.StartedAt),
                NullableTime(reader, o.CompletedAt),
                readError,
                reader.GetInt32(o.Priority),
                NullableString(reader, o.PartitionKey),
                NullableString(reader, o.TraceParent)));
        }

        return jobs;
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private sealed class JobOrdinals(NpgsqlDataReader r)
    {
        public int Id { get; } = r.GetOrdinal("id");
        public int TaskType { get; } = r.GetOrdinal("task_type");
        public int Payload { get; } = r.GetOrdinal("payload");
        public int Status { get; } = r.GetOrdinal("status");
        public int RunAt { get; } = r.GetOrdinal("run_at");
        public int Attempts { get; } = r.GetOrdinal("attempts");
        public int MaxAttempts { get; } = r.GetOrdinal("max_attempts");
        public int LastError { get; } = r.GetOrdinal("last_error");
        public int Output { get; } = r.GetOrdinal("output");
        public int DedupeKey { get; } = r.GetOrdinal("dedupe_key");
        public int LockedBy { get; } = r.GetOrdinal("locked_by");
        public int LockedUntil { get; } = r.GetOrdinal("locked_until");
        public int TriggeredBy { get; } = r.GetOrdinal("triggered_by");
        public int RequestId { get; } = r.GetOrdinal("request_id");
        public int CreatedAt { get; } = r.GetOrdinal("created_at");
        public int UpdatedAt { get; } = r.GetOrdinal("updated_at");
        public int StartedAt { get; } = r.GetOrdinal("started_at");
        public int CompletedAt { get; } = r.GetOrdinal("completed_at");
        public int Priority { get; } = r.GetOrdinal("priority");
        public int PartitionKey { get; } = r.GetOrdinal("partition_key");
        public int TraceParent { get; } = r.GetOrdinal("trace_parent");
    }
}
