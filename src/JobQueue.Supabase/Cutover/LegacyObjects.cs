namespace JobQueue.Cutover;

/// <summary>A column of a legacy table: name, type (format_type), default expression, NOT NULL.</summary>
public sealed record LegacyColumn(string Name, string Type, string? Default, bool NotNull);

/// <summary>A legacy queue table in <c>public</c> (a table named <c>job_queue</c>), as the catalogs show it.</summary>
public sealed record LegacyQueueTable(
    string Name,
    string Owner,
    bool OwnedByCaller,
    bool RowSecurity,
    IReadOnlyList<LegacyColumn> Columns,
    IReadOnlyList<string> StatusVocabulary,
    IReadOnlyList<LegacyJobCount> Counts)
{
    public string QualifiedName => "public." + Name;

    public IReadOnlyDictionary<string, long> RowsByStatus =>
        Counts.GroupBy(c => c.Status, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(c => c.Rows), StringComparer.Ordinal);
}

/// <summary>How many rows of a legacy queue have this status and task type.</summary>
public sealed record LegacyJobCount(string Status, string TaskType, long Rows);

/// <summary>An argument of a legacy function: its name (may be empty) and type.</summary>
public sealed record LegacyArgument(string Name, string Type);

/// <summary>
/// A legacy RPC in <c>public</c> (job_queue_enqueue, job_queue_claim, job_queue_mark_succeeded,
/// job_queue_mark_failed): its signature read from pg_proc, result, owner and EXECUTE grants.
/// </summary>
public sealed record LegacyFunction(
    string Name,
    string Signature,
    string IdentityArguments,
    string ArgumentsWithDefaults,
    IReadOnlyList<LegacyArgument> Arguments,
    string Result,
    bool ReturnsSet,
    string Owner,
    bool OwnedByCaller,
    bool HasOutArguments,
    IReadOnlyList<string> ExecuteGrantees)
{
    /// <summary>The argument types alone (what to_regprocedure reads): <c>text, jsonb, timestamp with time zone</c>.</summary>
    public string TypeList => string.Join(", ", Arguments.Select(a => a.Type));
}

/// <summary>The legacy pause switch (<c>public.job_queue_settings</c>) and what it says now.</summary>
public sealed record LegacySettings(string Table, bool? ProcessingEnabled, string? PausedReason);

/// <summary>A row-level security policy on a legacy table.</summary>
public sealed record LegacyPolicy(string Table, string Name, string Command, string Roles);

/// <summary>A trigger on a legacy table, or a function elsewhere that writes the legacy table by name.</summary>
public sealed record LegacyWriter(string Kind, string Name, string On);

/// <summary>A pg_cron job of the app database, as <c>cron.job</c> shows it to the connected role.</summary>
public sealed record LegacyCronJob(long JobId, string Name, string Schedule, string Command, string Database, string Username, bool Active, string CommandMd5);

/// <summary>
/// Everything the discoverer read: the connected role, the legacy objects, the pg_cron jobs it can
/// see, where secrets are kept, and what an earlier cut-over recorded.
/// </summary>
public sealed record LegacyInventory(
    string Role,
    bool Superuser,
    string Database,
    string? CronDatabase,
    bool JobQueueInstalled,
    IReadOnlyList<LegacyQueueTable> Queues,
    IReadOnlyList<LegacyFunction> Functions,
    LegacySettings? Settings,
    IReadOnlyList<LegacyPolicy> Policies,
    IReadOnlyList<LegacyWriter> Writers,
    IReadOnlyList<LegacyCronJob> CronJobs,
    IReadOnlyList<string> SecretStores,
    CutoverRecord Record);

/// <summary>What an earlier apply recorded and has not rolled back (jobqueue.cutover_actions, jobqueue.cutover_cron_jobs).</summary>
public sealed record CutoverRecord(
    IReadOnlyList<CutoverAction> Actions,
    IReadOnlyList<ConvertedCronJob> ConvertedJobs)
{
    public static readonly CutoverRecord Empty = new([], []);

    public bool Any => Actions.Count > 0 || ConvertedJobs.Count > 0;
}

/// <summary>A row of jobqueue.cutover_actions.</summary>
public sealed record CutoverAction(long Id, string Kind, string LegacyName, string? KeptAs, string Detail);

/// <summary>A row of jobqueue.cutover_cron_jobs not rolled back.</summary>
public sealed record ConvertedCronJob(long OldJobId, string OldJobName, string NewJobName);
