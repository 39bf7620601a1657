using JobQueue.Runner;
using Npgsql;

namespace JobQueue.Cutover;

/// <summary>
/// Turns what the discoverer found into the plan: what will be done, what cannot be done and why
/// (with the command that makes it possible), and the secrets that must be stored first. Reads no
/// database; secrets only through <see cref="CronJobConversions"/> (presence, never printed).
/// </summary>
public sealed class CutoverPlanner(CronJobConversions conversions, JobHandlerRegistry handlers, TimeProvider time)
{
    /// <summary>The suffix of the names legacy objects are kept under: <c>_legacy_&lt;yyyymmdd&gt;</c>.</summary>
    public string KeptSuffix => "_legacy_" + time.GetUtcNow().ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The plan for <paramref name="found"/>; <paramref name="connection"/> is the owner connection, used
    /// only to write the exact command for connecting as another role (without its password).
    /// </summary>
    public async Task<(CutoverPlan Plan, IReadOnlyList<CronJobConversion> Conversions)> PlanAsync(
        LegacyInventory found, string connection, CancellationToken cancellationToken)
    {
        var actions = new List<string>();
        var limits = new List<CutoverLimit>();
        var queues = new List<QueuePlan>();

        if (!found.JobQueueInstalled)
        {
            limits.Add(new CutoverLimit("JobQueue is not installed in this database", "the cut-over moves everything into the schema jobqueue",
                "bash infra/local/migrate.sh \"<owner connection string>\"", true));
        }

        foreach (var table in found.Queues)
        {
            var mapping = LegacyQueueMapping.For(table);
            if (mapping.Problem is not null)
            {
                limits.Add(new CutoverLimit($"{table.QualifiedName} cannot be adopted", mapping.Problem, null, true));
                continue;
            }

            if (!table.OwnedByCaller)
            {
                limits.Add(new CutoverLimit($"{table.QualifiedName} cannot be renamed", $"it is owned by {table.Owner}, and only its owner (or a superuser) may rename it",
                    CommandAs(connection, table.Owner), true));
            }

            var toCopy = mapping.CopiedStatuses.Sum(s => table.RowsByStatus.GetValueOrDefault(s));
            var keptAs = table.Name + KeptSuffix;
            var taskless = table.Counts.Where(c => mapping.CopiedStatuses.Contains(c.Status) && !handlers.TryGet(c.TaskType, out _))
                .Select(c => c.TaskType).Distinct(StringComparer.Ordinal).ToList();
            if (taskless.Count > 0)
            {
                limits.Add(new CutoverLimit($"no handler in this host for task type(s) {string.Join(", ", taskless)} of {table.QualifiedName}",
                    "JobQueue fails a job of an unknown task type at its first attempt (it stays in jobqueue.job_queue as failed, retryable): register a handler for each before runners start, or pause the type",
                    "POST /api/admin/task-limits/pause {\"taskType\": \"<type>\"}", false));
            }

            queues.Add(new QueuePlan(table, mapping, keptAs, toCopy, taskless));
            actions.Add($"copy {toCopy} job(s) of {table.QualifiedName} (statuses {string.Join(", ", mapping.CopiedStatuses)}; processing as pending) into jobqueue.job_queue, keeping ids, payloads, attempts, max_attempts, run_at, last_error and created_at");
            actions.Add($"rename {table.QualifiedName} to public.{keptAs} (kept, with its rows, indexes, triggers and RLS policies: never dropped)");
            actions.Add($"make the view {table.QualifiedName} in its place: inserts into it (triggers, app code) enqueue into JobQueue; it shows JobQueue's jobs in the old shape");
        }

        foreach (var f in found.Functions)
        {
            if (f.HasOutArguments)
            {
                limits.Add(new CutoverLimit($"public.{f.Signature} is not wrapped", "it has OUT, INOUT or VARIADIC arguments", null, false));
                continue;
            }

            if (!f.OwnedByCaller)
            {
                limits.Add(new CutoverLimit($"public.{f.Signature} cannot be renamed", $"it is owned by {f.Owner}", CommandAs(connection, f.Owner), true));
            }

            actions.Add($"rename public.{f.Signature} to {f.Name}{KeptSuffix} (kept for rollback) and make public.{f.Name}({f.IdentityArguments}), the same arguments, calling jobqueue.{f.Name}");
        }

        var carried = found.Record.Actions.Any(a => a.Kind == "settings_carried");
        if (found.Settings is { ProcessingEnabled: { } enabled } s && !carried && found.JobQueueInstalled)
        {
            actions.Add($"carry the pause switch of {s.Table} over: jobqueue.job_queue_set_settings(processing_enabled => {(enabled ? "true" : "false")})");
        }

        if (found.CronDatabase is null)
        {
            limits.Add(new CutoverLimit("no pg_cron job was read",
                "pg_cron is not installed in this database, and no other database was named for it (cron.database_name is readable by a superuser only; or set Cron:Database) or reachable with these credentials",
                "bash infra/local/cutover.sh plan \"<owner connection string>\" --cron \"<owner connection to the database named by cron.database_name>\"", false));
        }
        else if (!found.Superuser)
        {
            limits.Add(new CutoverLimit($"only the pg_cron jobs of role {found.Role} are listed",
                $"pg_cron shows a role that is not a superuser only its own jobs; jobs other roles made (on Supabase: postgres) are neither listed nor converted, and keep running",
                CommandAs(connection, "postgres"), false));
        }

        var planned = new List<CronJobConversion>();
        var converted = found.Record.ConvertedJobs.Select(c => c.OldJobId).ToHashSet();
        var disabled = found.Record.Actions.Where(a => a.Kind == "cron_job_disabled").Select(a => a.LegacyName).ToHashSet(StringComparer.Ordinal);
        foreach (var job in found.CronJobs.Where(j => !converted.Contains(j.JobId) && !disabled.Contains(DisabledKey(j))))
        {
            var c = await conversions.PlanAsync(job, cancellationToken);
            planned.Add(c);
            var p = c.Plan;
            if (p.Kind == CronJobKind.HttpCall && p.Active && p.Problems.Count == 0)
            {
                actions.Add($"pg_cron job {Describe(p)}: {p.Action}");
            }
            else if (p.Kind == CronJobKind.HttpCall && p.Active)
            {
                limits.Add(new CutoverLimit($"pg_cron job {Describe(p)} is not converted", string.Join("; ", p.Problems),
                    "convert it by hand once the problems are solved: POST /api/admin/cron-jobs/pg-net/convert", false));
            }
            else if (p.Kind == CronJobKind.LegacyTable && p.Active)
            {
                actions.Add($"pg_cron job {Describe(p)}: {p.Action}");
            }
        }

        var secrets = planned.Where(c => c.Plan.Active && c.Plan.Problems.Count == 0).SelectMany(c => c.Secrets)
            .GroupBy(s => s.Name, StringComparer.Ordinal)
            .Select(g => g.First() with { UsedBy = string.Join("; ", g.Select(x => x.UsedBy).Distinct()) })
            .ToList();

        var plan = new CutoverPlan(found, queues, planned.Select(c => c.Plan).ToList(), actions, limits, secrets, KeptSuffix);
        return (plan, planned);
    }

    /// <summary>How a disabled legacy cron job is recorded in cutover_actions.legacy_name.</summary>
    public static string DisabledKey(LegacyCronJob job) => $"cron.job {job.JobId}";

    private static string Describe(CronJobPlan p) => $"{p.JobId} '{p.Name}' (owner {p.Username}, {p.Schedule})";

    /// <summary>The cut-over command connected as <paramref name="role"/>: the same server and database, the password left for the user to write.</summary>
    public static string CommandAs(string connection, string role)
    {
        var b = new NpgsqlConnectionStringBuilder(connection);
        var target = new NpgsqlConnectionStringBuilder { Host = b.Host, Port = b.Port, Database = b.Database, Username = role };
        return $"bash infra/local/cutover.sh plan \"{target.ConnectionString};Password=<password of {role}>\"";
    }
}
