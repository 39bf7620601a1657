using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace JobQueue.Cutover;

/// <summary>
/// A cut-over result for people (<see cref="Text"/>: what the command prints) and programs
/// (<see cref="View"/>: <c>--json</c> and <c>GET /api/admin/cutover/plan</c>). Secret values and
/// connection strings are not in a result, so they cannot be in a report.
/// </summary>
public static class CutoverReport
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static object View(CutoverResult r) => new
    {
        verb = r.Verb,
        outcome = r.Outcome,
        exitCode = r.ExitCode,
        error = r.Error,
        done = r.Done,
        warnings = r.Warnings,
        plan = r.Plan is null ? null : PlanView(r.Plan),
    };

    public static object PlanView(CutoverPlan p) => new
    {
        connectedAs = p.Found.Role,
        superuser = p.Found.Superuser,
        database = p.Found.Database,
        cronDatabase = p.Found.CronDatabase,
        jobQueueInstalled = p.Found.JobQueueInstalled,
        queues = p.Queues.Select(q => new
        {
            table = q.Table.QualifiedName,
            owner = q.Table.Owner,
            rowSecurity = q.Table.RowSecurity,
            rowsByStatus = q.Table.RowsByStatus,
            mapping = q.Mapping.Columns.Where(c => c.Target != "status").ToDictionary(c => c.Target, c => c.Source),
            payloadColumns = q.Mapping.PayloadColumns,
            copiedStatuses = q.Mapping.CopiedStatuses,
            leftBehindStatuses = q.Mapping.LeftBehindStatuses,
            jobsToCopy = q.JobsToCopy,
            keptAs = "public." + q.KeptAs,
            taskTypesWithoutHandler = q.TaskTypesWithoutHandler,
        }),
        functions = p.Found.Functions.Select(f => new { signature = $"public.{f.Name}({f.IdentityArguments})", result = f.Result, owner = f.Owner }),
        settings = p.Found.Settings,
        policies = p.Found.Policies,
        writers = p.Found.Writers,
        secretStores = p.Found.SecretStores,
        cronJobs = p.CronJobs.Select(j => new
        {
            jobId = j.JobId,
            name = j.Name,
            username = j.Username,
            schedule = j.Schedule,
            active = j.Active,
            kind = j.Kind,
            action = j.Action,
            secretsRead = j.SecretsRead,
            newJobName = j.Kind == CronJobKind.HttpCall ? j.NewJobName : null,
            payload = j.Payload,
            problems = j.Problems,
        }),
        alreadyConverted = p.Found.Record.ConvertedJobs,
        actions = p.Actions,
        cannotDo = p.CannotDo,
        secrets = p.Secrets,
        nothingToDo = p.NothingToDo,
        refused = p.Refused,
    };

    public static string ToJson(CutoverResult r) => JsonSerializer.Serialize(View(r), Json);

    public static string Text(CutoverResult r)
    {
        var s = new StringBuilder();
        s.AppendLine($"JobQueue cut-over: {r.Verb.ToString().ToLowerInvariant()} -> {Outcome(r)}");
        if (r.Error is not null)
        {
            s.AppendLine($"error: {r.Error}").AppendLine("Nothing was changed (the transaction was rolled back).");
        }

        if (r.Plan is { } p)
        {
            Plan(s, p);
        }

        Section(s, r.Verb == CutoverVerb.Rollback ? "Rolled back" : "Done", r.Done);
        Section(s, "Warnings", r.Warnings);
        return s.ToString();
    }

    private static string Outcome(CutoverResult r) => r.Outcome switch
    {
        CutoverOutcome.Planned => "dry run, nothing was changed",
        CutoverOutcome.NothingToDo => r.Verb == CutoverVerb.Rollback ? "nothing to roll back" : "nothing to do",
        CutoverOutcome.Applied => "applied",
        CutoverOutcome.RolledBack => "rolled back",
        CutoverOutcome.Refused => "REFUSED, nothing was changed (see \"Cannot do\" and \"Secrets\")",
        _ => "FAILED",
    };

    private static void Plan(StringBuilder s, CutoverPlan p)
    {
        var f = p.Found;
        s.AppendLine($"Connected as {f.Role}{(f.Superuser ? " (superuser)" : "")} to database {f.Database}; pg_cron: {(f.CronDatabase is null ? "not reachable" : "database " + f.CronDatabase)}.");
        s.AppendLine().AppendLine("Found");
        if (f.Queues.Count == 0)
        {
            s.AppendLine("  no legacy queue table public.job_queue");
        }

        foreach (var q in p.Queues)
        {
            s.AppendLine($"  queue table {q.Table.QualifiedName} (owner {q.Table.Owner}, row-level security {(q.Table.RowSecurity ? "on" : "off")}): "
                         + string.Join(", ", q.Table.RowsByStatus.Select(kv => $"{kv.Key} {kv.Value}")).OrIfEmpty("empty"));
            s.AppendLine("    column mapping onto jobqueue.job_queue: " + string.Join("; ",
                q.Mapping.Columns.Where(c => c.Target != "status").Select(c => $"{c.Target} <- {c.Source ?? "(default)"}")));
            if (q.Mapping.PayloadColumns.Count > 0)
            {
                s.AppendLine($"    into the payload: {string.Join(", ", q.Mapping.PayloadColumns)}");
            }

            s.AppendLine($"    copied: {string.Join(", ", q.Mapping.CopiedStatuses)} ({q.JobsToCopy} job(s)); left in the kept table: {string.Join(", ", q.Mapping.LeftBehindStatuses).OrIfEmpty("-")}");
        }

        foreach (var fn in f.Functions)
        {
            s.AppendLine($"  RPC public.{fn.Name}({fn.IdentityArguments}) returns {fn.Result} (owner {fn.Owner})");
        }

        s.AppendLine(f.Settings is { } st
            ? $"  pause switch {st.Table}: processing {(st.ProcessingEnabled is null ? "unknown" : st.ProcessingEnabled.Value ? "enabled" : "paused")}"
            : "  no pause switch public.job_queue_settings");
        foreach (var pol in f.Policies)
        {
            s.AppendLine($"  RLS policy on public.{pol.Table}: \"{pol.Name}\" ({pol.Command} to {pol.Roles})");
        }

        foreach (var w in f.Writers)
        {
            s.AppendLine($"  writes public.job_queue by name: {w.Kind} {w.Name}{(w.On.Length > 0 ? " (" + w.On + ")" : "")}");
        }

        s.AppendLine($"  secrets kept in: {string.Join(", ", f.SecretStores).OrIfEmpty("-")}");
        s.AppendLine($"  pg_cron jobs of database {f.Database} visible to {f.Role}: {p.CronJobs.Count + f.Record.ConvertedJobs.Count}");
        foreach (var j in p.CronJobs)
        {
            s.AppendLine($"    {j.JobId} '{j.Name}' (owner {j.Username}, {j.Schedule}, {(j.Active ? "active" : "inactive")}): {Kind(j.Kind)}");
            if (j.SecretsRead.Count > 0)
            {
                s.AppendLine($"      reads secrets: {string.Join(", ", j.SecretsRead)}");
            }

            s.AppendLine($"      -> {j.Action}");
            if (j.Payload is not null && j.Kind == CronJobKind.HttpCall)
            {
                s.AppendLine($"      payload: {j.Payload.ToJsonString()}");
            }

            foreach (var problem in j.Problems)
            {
                s.AppendLine($"      problem: {problem}");
            }
        }

        foreach (var c in f.Record.ConvertedJobs)
        {
            s.AppendLine($"    {c.OldJobId} '{c.OldJobName}': already converted into {c.NewJobName}");
        }

        Section(s, "Will do", p.Actions.DefaultIfEmpty("nothing: " + (f.Record.Any ? "the cut-over is applied" : "no legacy object was found")).ToList());
        Section(s, "Cannot do", p.CannotDo.Select(c => $"{c.What}{(c.Blocking ? " [blocks apply]" : "")}: {c.Why}" + (c.Command is null ? "" : $"\n      run: {c.Command}")).ToList());
        Section(s, "Secrets the converted schedules need (Key Vault secret, or setting Secrets:<name>)",
            p.Secrets.Select(x => $"{x.Name}: {(x.Present ? "present" : "MISSING (" + x.Problem + ")")}; used by {x.UsedBy}").ToList());
    }

    private static string Kind(CronJobKind kind) => kind switch
    {
        CronJobKind.HttpCall => "calls net.http_*",
        CronJobKind.Enqueue => "calls job_queue_enqueue",
        CronJobKind.LegacyTable => "works on the legacy queue table",
        _ => "other",
    };

    private static void Section(StringBuilder s, string title, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        s.AppendLine().AppendLine(title);
        foreach (var line in lines)
        {
            s.AppendLine("  - " + line);
        }
    }

    private static string OrIfEmpty(this string text, string fallback) => text.Length == 0 ? fallback : text;
}
