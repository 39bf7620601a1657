using System.Text;
using System.Text.Json;
using JobQueue.Telemetry;
using Npgsql;
using NpgsqlTypes;

namespace JobQueue.Queue;

/// <summary>
/// Every call the library makes to the queue's RPCs, in one place. The SQL itself lives in the
/// migrations (Database/Migrations); this class only binds parameters and reads rows. After a call
/// that made a job due now has committed (enqueue, retry, run now), it tells <see cref="IJobWakeUp"/>,
/// which wakes runners elsewhere (the Functions app's wake-up queue; nothing by default).
/// Enqueues store the caller's trace context (the current activity's traceparent) unless one is given.
/// </summary>
public sealed class JobQueueStore(NpgsqlDataSource dataSource, IJobWakeUp? wakeUp = null)
{
    /// <summary>Jobs due this close to now count as due now for the wake-up (clock skew, the request's own time).</summary>
    private static readonly TimeSpan DueSoon = TimeSpan.FromSeconds(1);

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
    private readonly ClaimCursor claimCursor = new(TimeProvider.System);

    public async Task<Guid> EnqueueAsync(EnqueueRequest request, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT jobqueue.job_queue_enqueue($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
        cmd.Parameters.Add(Text(request.TaskType));
        cmd.Parameters.Add(Jsonb(request.Payload?.GetRawText() ?? "{}"));
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)request.RunAt?.UtcDateTime ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)request.MaxAttempts ?? DBNull.Value });
        cmd.Parameters.Add(Text(request.DedupeKey));
        cmd.Parameters.Add(Text(request.TriggeredBy));
        cmd.Parameters.Add(Text(request.RequestId));
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)request.Priority ?? DBNull.Value });
        cmd.Parameters.Add(Text(request.PartitionKey));
        cmd.Parameters.Add(Text(request.TraceParent ?? W3CTraceParent.Current()));
        var id = (Guid)(await cmd.ExecuteScalarAsync(cancellationToken))!;
        WakeIfDue(request.RunAt);
        return id;
    }

    /// <summary>
    /// Enqueues the job, or joins the job last enqueued under (<paramref name="request"/>'s task type,
    /// <paramref name="joinKey"/>) while that one is still pending (<c>job_queue_enqueue_or_join</c>).
    /// </summary>
    public async Task<(Guid Id, bool Joined)> EnqueueOrJoinAsync(EnqueueRequest request, string joinKey, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT id, joined FROM jobqueue.job_queue_enqueue_or_join($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
        cmd.Parameters.Add(Text(request.TaskType));
        cmd.Parameters.Add(Text(joinKey));
        cmd.Parameters.Add(Jsonb(request.Payload?.GetRawText() ?? "{}"));
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)request.RunAt?.UtcDateTime ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)request.MaxAttempts ?? DBNull.Value });
        cmd.Parameters.Add(Text(request.TriggeredBy));
        cmd.Parameters.Add(Text(request.RequestId));
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)request.Priority ?? DBNull.Value });
        cmd.Parameters.Add(Text(request.PartitionKey));
        cmd.Parameters.Add(Text(request.TraceParent ?? W3CTraceParent.Current()));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetGuid(0), reader.GetBoolean(1));
    }

    /// <summary>Enqueues many jobs of one task type in one statement (bulk producers).</summary>
    public async Task<int> EnqueueManyAsync(
        string taskType, IReadOnlyList<string> payloadsJson, DateTimeOffset? runAt = null, int? maxAttempts = null,
        string? triggeredBy = null, int? priority = null, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT jobqueue.job_queue_enqueue_many($1, $2, $3, $4, $5, $6, $7)");
        cmd.Parameters.Add(Text(taskType));
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb, Value = payloadsJson.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)runAt?.UtcDateTime ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)maxAttempts ?? DBNull.Value });
        cmd.Parameters.Add(Text(triggeredBy));
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)priority ?? DBNull.Value });
        cmd.Parameters.Add(Text(W3CTraceParent.Current()));
        var count = (int)(await cmd.ExecuteScalarAsync(cancellationToken))!;
        if (count > 0)
        {
            WakeIfDue(runAt);
        }

        return count;
    }

    /// <summary>Claims due jobs, oldest due first, starting after this process's last claim (<see cref="ClaimCursor"/>).</summary>
    public async Task<IReadOnlyList<Job>> ClaimAsync(int limit, TimeSpan lease, string runnerId, CancellationToken cancellationToken = default)
    {
        var after = claimCursor.Next();
        await using var cmd = dataSource.CreateCommand("SELECT * FROM jobqueue.job_queue_claim($1, $2, $3, $4, $5, $6)");
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = limit });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Interval, Value = lease });
        cmd.Parameters.Add(Text(runnerId));
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)after?.RunAt.UtcDateTime ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)after?.Id ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)after?.Priority ?? DBNull.Value });
        var jobs = await ReadJobsAsync(cmd, cancellationToken);
        claimCursor.Advance(jobs);
        return jobs;
    }

    /// <summary>Finishes attempts in one round trip; returns only those this runner still held.</summary>
    public async Task<IReadOnlyList<CompletedJob>> CompleteAsync(
        string runnerId, IReadOnlyCollection<JobCompletion> completions, CancellationToken cancellationToken = default)
    {
        if (completions.Count == 0)
        {
            return [];
        }

        await using var cmd = dataSource.CreateCommand("SELECT id, status, attempts, last_error FROM jobqueue.job_queue_complete($1, $2)");
        cmd.Parameters.Add(Text(runnerId));
        cmd.Parameters.Add(Jsonb(SerializeCompletions(completions)));
        var finished = new List<CompletedJob>(completions.Count);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            finished.Add(new CompletedJob(
                reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return finished;
    }

    public Task<JobActionResult> RetryAsync(Guid id, string? actor, CancellationToken cancellationToken = default) =>
        WakeIfOkAsync(ActionAsync("SELECT outcome, status FROM jobqueue.job_queue_retry($1, $2)", cancellationToken, Uuid(id), Text(actor)));

    public Task<JobActionResult> CancelAsync(Guid id, string? actor, string? reason, CancellationToken cancellationToken = default) =>
        ActionAsync("SELECT outcome, status FROM jobqueue.job_queue_cancel($1, $2, $3)", cancellationToken, Uuid(id), Text(actor), Text(reason));

    public Task<JobActionResult> RunNowAsync(Guid id, CancellationToken cancellationToken = default) =>
        WakeIfOkAsync(ActionAsync("SELECT outcome, status FROM jobqueue.job_queue_run_now($1)", cancellationToken, Uuid(id)));

    /// <summary>
    /// Heartbeat: extends to now + <paramref name="lease"/> the leases of the jobs among <paramref name="ids"/>
    /// that this runner still holds (processing, locked by it) and returns those; the others were taken over.
    /// </summary>
    public async Task<IReadOnlySet<Guid>> ExtendLeasesAsync(
        string runnerId, IReadOnlyCollection<Guid> ids, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var held = new HashSet<Guid>();
        if (ids.Count == 0)
        {
            return held;
        }

        await using var cmd = dataSource.CreateCommand("SELECT jobqueue.job_queue_extend_leases($1, $2, $3)");
        cmd.Parameters.Add(Text(runnerId));
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid, Value = ids.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Interval, Value = lease });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            held.Add(reader.GetGuid(0));
        }

        return held;
    }

    public async Task<QueueSettings> GetSettingsAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT processing_enabled, paused_reason, updated_by, updated_at FROM jobqueue.job_queue_get_settings()");
        return await ReadSettingsAsync(cmd, cancellationToken);
    }

    /// <summary>
    /// An idle runner asks to be woken (NOTIFY on channel <see cref="JobWakeListener.Channel"/>) for new
    /// due jobs until now + <paramref name="idleFor"/>; null: busy again, no wake-ups needed.
    /// </summary>
    public async Task SetRunnerIdleAsync(TimeSpan? idleFor, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT jobqueue.job_queue_set_runner_idle($1)");
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Interval, Value = (object?)idleFor ?? DBNull.Value });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<QueueSettings> SetSettingsAsync(
        bool processingEnabled, string? pausedReason, string? updatedBy, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT processing_enabled, paused_reason, updated_by, updated_at FROM jobqueue.job_queue_set_settings($1, $2, $3)");
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Boolean, Value = processingEnabled });
        cmd.Parameters.Add(Text(pausedReason));
        cmd.Parameters.Add(Text(updatedBy));
        return await ReadSettingsAsync(cmd, cancellationToken);
    }

    public async Task<IReadOnlyList<Job>> ListAsync(JobListQuery query, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT * FROM jobqueue.job_queue_list($1, $2, $3, $4, $5, $6, $7)");
        cmd.Parameters.Add(Text(query.Status));
        cmd.Parameters.Add(Text(query.TaskType));
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = query.Limit });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)query.BeforeId ?? DBNull.Value });
        cmd.Parameters.Add(DbParameters.Timestamp(query.CreatedAfter));
        cmd.Parameters.Add(DbParameters.Timestamp(query.CreatedBefore));
        cmd.Parameters.Add(Text(query.PayloadText));
        return await ReadJobsAsync(cmd, cancellationToken);
    }

    public async Task<Job?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT * FROM jobqueue.job_queue_get($1)");
        cmd.Parameters.Add(Uuid(id));
        var jobs = await ReadJobsAsync(cmd, cancellationToken);
        return jobs.Count == 0 ? null : jobs[0];
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

    /// <summary>
    /// Counts, pause state, oldest pending age, stuck jobs, recent failures and runs, and the database's
    /// signals for a held xmin horizon (oldest open transaction, dead rows: job_queue_database_health).
    /// </summary>
    public async Task<JsonElement> GetHealthAsync(int recentLimit = 10, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT (jobqueue.job_queue_health($1) || jobqueue.job_queue_database_health())::text");
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = recentLimit });
        var json = (string)(await cmd.ExecuteScalarAsync(cancellationToken))!;
        return ParseJson(json);
    }

    /// <summary>Deletes one batch of finished jobs (and their attempts) completed before <paramref name="olderThan"/>.</summary>
    public Task<int> CleanupBatchAsync(DateTimeOffset olderThan, int batchSize, CancellationToken cancellationToken = default) =>
        ScalarIntAsync("SELECT jobqueue.job_queue_cleanup_batch($1, $2)", olderThan, batchSize, cancellationToken);

    /// <summary>Due pending jobs and the oldest one's age in seconds, read from the partial index of pending jobs.</summary>
    public async Task<(long DuePending, double OldestPendingAgeSeconds)> GetPendingGaugesAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT due_pending, oldest_pending_age_seconds FROM jobqueue.job_queue_pending_gauges()");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetDouble(1));
    }

    private async Task<int> ScalarIntAsync(string sql, DateTimeOffset olderThan, int batchSize, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = olderThan.UtcDateTime });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = batchSize });
        return (int)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    private void WakeIfDue(DateTimeOffset? runAt)
    {
        if (wakeUp is not null && (runAt is null || runAt.Value <= DateTimeOffset.UtcNow + DueSoon))
        {
            wakeUp.JobsDue();
        }
    }

    private async Task<JobActionResult> WakeIfOkAsync(Task<JobActionResult> action)
    {
        var result = await action;
        if (result.Outcome == JobActionOutcome.Ok)
        {
            wakeUp?.JobsDue();
        }

        return result;
    }

    private async Task<JobActionResult> ActionAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddRange(parameters);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var outcome = reader.GetString(0) switch
        {
            "ok" => JobActionOutcome.Ok,
            "not_found" => JobActionOutcome.NotFound,
            _ => JobActionOutcome.InvalidState,
        };
        return new JobActionResult(outcome, reader.IsDBNull(1) ? null : reader.GetString(1));
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

    internal static async Task<IReadOnlyList<Job>> ReadJobsAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
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
            var payload = TryParseJson(reader.GetString(o.Payload), "payload", ref readError) ?? EmptyObject;
            var output = reader.IsDBNull(o.Output) ? null : TryParseJson(reader.GetString(o.Output), "output", ref readError);
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

    private static string SerializeCompletions(IReadOnlyCollection<JobCompletion> completions)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var c in completions)
            {
                json.WriteStartObject();
                json.WriteString("id", c.Id);
                json.WriteBoolean("succeeded", c.Succeeded);
                if (c.OutputJson is not null)
                {
                    json.WritePropertyName("output");
                    json.WriteRawValue(c.OutputJson, skipInputValidation: false);
                }

                if (c.Error is not null)
                {
                    json.WriteString("error", c.Error);
                }

                if (c.RetryIn is { } retryIn)
                {
                    json.WriteNumber("retryInMs", (long)retryIn.TotalMilliseconds);
                }

                if (c.Snooze)
                {
                    json.WriteBoolean("snooze", true);
                }

                json.WriteNumber("durationMs", c.DurationMs);
                if (c.FollowUp)
                {
                    json.WriteBoolean("followUp", true);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static JsonElement? TryParseJson(string json, string what, ref string? readError)
    {
        try
        {
            return ParseJson(json);
        }
        catch (JsonException e)
        {
            readError ??= $"the {what} cannot be read ({json.Length} characters): {e.Message}";
            return null;
        }
    }

    private static JsonElement ParseJson(string json)
    {
        if (json == "{}")
        {
            return EmptyObject;
        }

        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static NpgsqlParameter Text(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Jsonb(string json) =>
        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = json };

    private static NpgsqlParameter Uuid(Guid id) =>
        new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = id };

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
