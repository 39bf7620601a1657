namespace JobQueue.Cutover;

/// <summary>One column of jobqueue.job_queue and the SQL expression (over the legacy row, alias <c>l</c>) that fills it.</summary>
public sealed record ColumnMapping(string Target, string? Source, string Expression);

/// <summary>
/// How a legacy queue table's rows become JobQueue jobs: seed 000/002's shape (<c>task_type, payload,
/// status, run_at, attempts, max_attempts, last_error</c>) maps one to one; seed 001's (<c>job_type,
/// scheduled_at, error_message, sync_id</c>, statuses pending/processing/processed/skipped) maps by the
/// names below, and its data columns (<c>sync_id</c>) go into the payload. Statuses: pending and
/// processing (the run it was in is abandoned) become pending, failed stays failed (retryable in
/// JobQueue), finished ones (succeeded, processed, skipped, cancelled) stay behind in the renamed table.
/// <see cref="Problem"/> says why a table cannot be mapped (no uuid id, no task type or status column).
/// </summary>
public sealed record LegacyQueueMapping(
    IReadOnlyList<ColumnMapping> Columns,
    IReadOnlyList<string> PayloadColumns,
    IReadOnlyList<string> IgnoredColumns,
    IReadOnlyList<string> PendingStatuses,
    IReadOnlyList<string> FailedStatuses,
    IReadOnlyList<string> LeftBehindStatuses,
    string? Problem)
{
    public static readonly string[] TaskNames = ["task_type", "job_type", "type", "task", "kind", "job_name"];
    public static readonly string[] PayloadNames = ["payload", "data", "args", "params", "body"];
    public static readonly string[] RunAtNames = ["run_at", "scheduled_at", "scheduled_for", "run_after", "due_at", "available_at", "not_before"];
    public static readonly string[] AttemptsNames = ["attempts", "attempt", "attempt_count", "retry_count", "tries"];
    public static readonly string[] MaxAttemptsNames = ["max_attempts", "max_tries", "max_retries"];
    public static readonly string[] ErrorNames = ["last_error", "error_message", "error", "last_error_message"];
    public static readonly string[] CreatedNames = ["created_at", "inserted_at", "enqueued_at"];
    public static readonly string[] FinishedNames = ["completed_at", "failed_at", "finished_at", "processed_at"];
    public static readonly string[] StatusNames = ["status", "state"];

    /// <summary>Bookkeeping columns JobQueue keeps its own way: not copied, not put in the payload.</summary>
    public static readonly string[] BookkeepingNames =
    [
        "updated_at", "started_at", "completed_at", "processed_at", "finished_at", "failed_at", "locked_at", "locked_by",
        "locked_until", "lease_expires_at", "claimed_at", "claimed_by", "worker_id", "runner_id", "output", "result",
        "results", "dedupe_key", "priority", "triggered_by", "request_id",
    ];

    private static readonly string[] PendingWords = ["pending", "queued", "processing", "running", "claimed", "in_progress", "retrying", "scheduled"];
    private static readonly string[] FailedWords = ["failed", "dead", "error", "errored"];

    public string? Source(string target) => Columns.FirstOrDefault(c => c.Target == target)?.Source;

    public string Expression(string target) => Columns.First(c => c.Target == target).Expression;

    /// <summary>The statuses whose rows are copied (pending first, then failed).</summary>
    public IReadOnlyList<string> CopiedStatuses => [.. PendingStatuses, .. FailedStatuses];

    public static LegacyQueueMapping For(LegacyQueueTable table)
    {
        var byName = table.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        LegacyColumn? First(string[] names) => names.Select(n => byName.GetValueOrDefault(n)).FirstOrDefault(c => c is not null);

        var id = byName.GetValueOrDefault("id");
        var task = First(TaskNames);
        var status = First(StatusNames);
        var problem = id is null || id.Type != "uuid" ? "its id is not a uuid column named id: JobQueue keeps a job's id, and its ids are uuids"
            : task is null ? $"no task type column (one of {string.Join(", ", TaskNames)})"
            : status is null ? "no status column: which jobs are still to run cannot be told"
            : null;

        var payload = First(PayloadNames);
        var runAt = First(RunAtNames);
        var attempts = First(AttemptsNames);
        var maxAttempts = First(MaxAttemptsNames);
        var error = First(ErrorNames);
        var created = First(CreatedNames);
        var finished = First(FinishedNames);

        var mapped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in new[] { id, task, status, payload, runAt, attempts, maxAttempts, error, created, finished })
        {
            if (c is not null)
            {
                mapped.Add(c.Name);
            }
        }

        var ignored = table.Columns.Where(c => !mapped.Contains(c.Name) && BookkeepingNames.Contains(c.Name)).Select(c => c.Name).ToList();
        var extra = table.Columns.Where(c => !mapped.Contains(c.Name) && !BookkeepingNames.Contains(c.Name)).Select(c => c.Name).ToList();

        var basePayload = payload is null
            ? "'{}'::jsonb"
            : $"CASE WHEN jsonb_typeof(l.{Q(payload.Name)}::jsonb) = 'object' THEN l.{Q(payload.Name)}::jsonb "
              + $"WHEN l.{Q(payload.Name)} IS NULL THEN '{{}}'::jsonb ELSE jsonb_build_object('payload', l.{Q(payload.Name)}::jsonb) END";
        var payloadExpression = extra.Count == 0
            ? basePayload
            : $"{basePayload} || jsonb_strip_nulls(jsonb_build_object({string.Join(", ", extra.Select(e => $"{L(e)}, l.{Q(e)}"))}))";
        var maxAttemptsExpression = maxAttempts is null ? "3"
            : maxAttempts.Name == "max_retries" ? $"LEAST(GREATEST(COALESCE(l.{Q(maxAttempts.Name)}, 2) + 1, 1), 100)"
            : $"LEAST(GREATEST(COALESCE(l.{Q(maxAttempts.Name)}, 3), 1), 100)";

        var columns = new List<ColumnMapping>
        {
            new("id", id?.Name, "l.id"),
            new("task_type", task?.Name, task is null ? "NULL" : $"l.{Q(task.Name)}::text"),
            new("payload", payload?.Name, payloadExpression),
            new("run_at", runAt?.Name, $"COALESCE({(runAt is null ? "NULL" : $"l.{Q(runAt.Name)}")}, {(created is null ? "now()" : $"l.{Q(created.Name)}, now()")})"),
            new("attempts", attempts?.Name, attempts is null ? "0" : $"GREATEST(COALESCE(l.{Q(attempts.Name)}, 0), 0)"),
            new("max_attempts", maxAttempts?.Name, maxAttemptsExpression),
            new("last_error", error?.Name, error is null ? "NULL" : $"l.{Q(error.Name)}::text"),
            new("created_at", created?.Name, created is null ? "now()" : $"COALESCE(l.{Q(created.Name)}, now())"),
            new("completed_at", finished?.Name, finished is null ? "now()" : $"COALESCE(l.{Q(finished.Name)}, now())"),
            new("status", status?.Name, status is null ? "NULL" : $"l.{Q(status.Name)}::text"),
        };

        var vocabulary = table.StatusVocabulary.Concat(table.RowsByStatus.Keys).Distinct(StringComparer.Ordinal).ToList();
        var pending = vocabulary.Where(s => PendingWords.Contains(s)).ToList();
        var failed = vocabulary.Where(s => FailedWords.Contains(s)).ToList();
        var left = vocabulary.Except(pending).Except(failed).ToList();
        return new LegacyQueueMapping(columns, extra, ignored, pending, failed, left, problem);
    }

    /// <summary>A quoted identifier.</summary>
    public static string Q(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A quoted literal.</summary>
    public static string L(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
