using System.Text;
using System.Text.Json;
using JobQueue.Telemetry;
using Npgsql;
using NpgsqlTypes;
using static JobQueue.Queue.DbParameters;

namespace JobQueue.Queue;

/// <summary>
/// The queue's hot path: enqueue, and the runner's claim, complete, heartbeat and idle calls. The SQL
/// itself lives in the database functions (Database/Schema/functions/); this class only binds parameters and reads
/// rows. The other calls live in stores of their own: <see cref="JobActionStore"/> (retry, cancel,
/// run now), <see cref="JobReadStore"/> (list, get, attempts), <see cref="QueueSettingsStore"/>,
/// <see cref="QueueHealthStore"/>, <see cref="JobCleanupStore"/>. After an enqueue that made a job due
/// now has committed, it tells <see cref="IJobWakeUp"/>, which wakes runners elsewhere (the Functions
/// app's wake-up queue; nothing by default). Enqueues store the caller's trace context (the current
/// activity's traceparent) unless one is given.
/// </summary>
public sealed class JobQueueStore(NpgsqlDataSource dataSource, IJobWakeUp? wakeUp = null)
{
    /// <summary>Jobs due this close to now count as due now for the wake-up (clock skew, the request's own time).</summary>
    private static readonly TimeSpan DueSoon = TimeSpan.FromSeconds(1);

    private readonly ClaimCursor claimCursor = new(TimeProvider.System);

    public async Task<Guid> EnqueueAsync(EnqueueRequest request, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT jobqueue.job_queue_enqueue($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
        cmd.Parameters.Add(Text(request.TaskType));
        cmd.Parameters.Add(Jsonb(request.Payload?.GetRawText() ?? "{}"));
        cmd.Parameters.Add(Timestamp(request.RunAt));
        cmd.Parameters.Add(Int(request.MaxAttempts));
        cmd.Parameters.Add(Text(request.DedupeKey));
        cmd.Parameters.Add(Text(request.TriggeredBy));
        cmd.Parameters.Add(Text(request.RequestId));
        cmd.Parameters.Add(Int(request.Priority));
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
        cmd.Parameters.Add(Timestamp(request.RunAt));
        cmd.Parameters.Add(Int(request.MaxAttempts));
        cmd.Parameters.Add(Text(request.TriggeredBy));
        cmd.Parameters.Add(Text(request.RequestId));
        cmd.Parameters.Add(Int(request.Priority));
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
        cmd.Parameters.Add(JsonbArray(payloadsJson.ToArray()));
        cmd.Parameters.Add(Timestamp(runAt));
        cmd.Parameters.Add(Int(maxAttempts));
        cmd.Parameters.Add(Text(triggeredBy));
        cmd.Parameters.Add(Int(priority));
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
        cmd.Parameters.Add(Int(limit));
        cmd.Parameters.Add(Interval(lease));
        cmd.Parameters.Add(Text(runnerId));
        cmd.Parameters.Add(Timestamp(after?.RunAt));
        cmd.Parameters.Add(Uuid(after?.Id));
        cmd.Parameters.Add(Int(after?.Priority));
        var jobs = await JobRows.ReadAsync(cmd, cancellationToken);
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
        cmd.Parameters.Add(UuidArray(ids.ToArray()));
        cmd.Parameters.Add(Interval(lease));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            held.Add(reader.GetGuid(0));
        }

        return held;
    }

    /// <summary>
    /// An idle runner asks to be woken (NOTIFY on channel <see cref="JobWakeListener.Channel"/>) for new
    /// due jobs until now + <paramref name="idleFor"/>; null: busy again, no wake-ups needed.
    /// </summary>
    public async Task SetRunnerIdleAsync(TimeSpan? idleFor, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT jobqueue.job_queue_set_runner_idle($1)");
        cmd.Parameters.Add(Interval(idleFor));
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private void WakeIfDue(DateTimeOffset? runAt)
    {
        if (wakeUp is not null && (runAt is null || runAt.Value <= DateTimeOffset.UtcNow + DueSoon))
        {
            wakeUp.JobsDue();
        }
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
}
