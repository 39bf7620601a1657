using Npgsql;
using static JobQueue.Cutover.LegacyQueueMapping;

namespace JobQueue.Cutover;

/// <summary>
/// Executes a plan inside the session's transactions (the caller commits): adopts the legacy jobs,
/// renames the legacy table and RPCs (kept, never dropped) and puts the view and wrappers in their
/// place, carries the pause switch over, converts the pg_net jobs into JobQueue schedules and disables
/// the old ones (never deletes), and records each step for rollback. Returns what it did, one line a step.
/// </summary>
public sealed class CutoverApplier(TimeProvider time)
{
    /// <summary>Roles Supabase grants everything in public to by default: revoked from what the cut-over makes.</summary>
    private static readonly string[] DefaultGrantees = ["anon", "authenticated", "service_role"];

    public async Task<IReadOnlyList<string>> ApplyAsync(
        CutoverSession session, CutoverPlan plan, IReadOnlyList<CronJobConversion> conversions, CancellationToken cancellationToken)
    {
        var app = session.App;
        var done = new List<string>();
        var defaults = await LegacyDiscoverer.ListAsync(app, "SELECT quote_ident(rolname) FROM pg_roles WHERE rolname = ANY ($1)",
            r => r.GetString(0), cancellationToken, new object[] { DefaultGrantees });
        var stamp = time.GetUtcNow().ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture);

        foreach (var q in plan.Queues)
        {
            done.AddRange(await AdoptAsync(app, q, defaults, stamp, cancellationToken));
        }

        foreach (var f in plan.Found.Functions.Where(f => !f.HasOutArguments))
        {
            var kept = f.Name + plan.KeptSuffix;
            if (await LegacyDiscoverer.ScalarAsync<bool>(app, $"SELECT to_regprocedure({L($"public.{Q(kept)}({f.TypeList})")}) IS NOT NULL", cancellationToken))
            {
                kept += "_" + stamp;
            }

            await Exec(app, $"ALTER FUNCTION public.{Q(f.Name)}({f.TypeList}) RENAME TO {Q(kept)}", cancellationToken);
            foreach (var sql in LegacyRpcWrappers.Sql(f, kept, defaults))
            {
                await Exec(app, sql, cancellationToken);
            }

            await RecordAsync(app, "function_renamed", $"public.{Q(f.Name)}({f.TypeList})", $"public.{Q(kept)}({f.TypeList})", "{}", cancellationToken);
            done.Add($"public.{f.Name}({f.IdentityArguments}) now calls jobqueue.{f.Name}; the legacy function is kept as public.{kept}");
        }

        if (plan.Actions.Any(a => a.StartsWith("carry the pause switch", StringComparison.Ordinal)) && plan.Found.Settings is { ProcessingEnabled: { } enabled } s)
        {
            var previous = await LegacyDiscoverer.ScalarAsync<string>(app,
                "SELECT json_build_object('processing_enabled', processing_enabled, 'paused_reason', paused_reason)::text FROM jobqueue.job_queue_settings WHERE id", cancellationToken);
            await Exec(app, "SELECT jobqueue.job_queue_set_settings(processing_enabled => $1, paused_reason => $2, updated_by => 'cutover')", cancellationToken,
                enabled, enabled ? null : s.PausedReason ?? $"paused in {s.Table} before the cut-over");
            await RecordAsync(app, "settings_carried", s.Table, null, previous ?? "{}", cancellationToken);
            done.Add($"JobQueue's processing is now {(enabled ? "enabled" : "paused")}, as {s.Table} said");
        }

        if (session.Cron is { } cron)
        {
            foreach (var c in conversions.Where(c => c.Plan is { Kind: CronJobKind.HttpCall, Active: true, Convertible: true } && c.Payload is not null))
            {
                done.Add(await ConvertAsync(session, cron, plan, c, cancellationToken));
            }

            foreach (var p in plan.CronJobs.Where(p => p is { Kind: CronJobKind.LegacyTable, Active: true }))
            {
                await Exec(cron, "SELECT cron.alter_job(job_id => $1, active => false)", cancellationToken, p.JobId);
                await RecordAsync(app, "cron_job_disabled", $"cron.job {p.JobId}", null, $"{{\"jobid\": {p.JobId}, \"jobname\": {System.Text.Json.JsonSerializer.Serialize(p.Name)}}}", cancellationToken);
                done.Add($"pg_cron job {p.JobId} '{p.Name}' disabled (it worked on the legacy table)");
            }
        }

        return done;
    }

    private static async Task<IReadOnlyList<string>> AdoptAsync(NpgsqlConnection app, QueuePlan q, IReadOnlyList<string> defaults, string stamp, CancellationToken cancellationToken)
    {
        var m = q.Mapping;
        var table = $"public.{Q(q.Table.Name)}";
        var status = m.Expression("status");
        var copied = m.CopiedStatuses.ToArray();
        var failed = m.FailedStatuses.ToArray();
        var origin = $"cutover:public.{q.Table.Name}";
        await Exec(app, $"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE", cancellationToken);
        await Exec(app, $"SELECT count(pg_advisory_xact_lock_shared(jobqueue.held_flag_key(t))) FROM (SELECT DISTINCT {m.Expression("task_type")} AS t FROM {table} l WHERE {status} = ANY ($1)) x",
            cancellationToken, (object)copied);
        // a job a rollback cancelled is adopted again; any other job of that id is JobQueue's own and left alone
        var n = await Exec(app,
            $"""
             INSERT INTO jobqueue.job_queue AS j (id, task_type, payload, status, run_at, attempts, max_attempts, last_error, created_at, completed_at, triggered_by, held)
             SELECT l.id, {m.Expression("task_type")}, {m.Expression("payload")},
                    CASE WHEN {status} = ANY ($2) THEN 'failed' ELSE 'pending' END,
                    {m.Expression("run_at")}, {m.Expression("attempts")}, {m.Expression("max_attempts")}, {m.Expression("last_error")},
                    {m.Expression("created_at")}, CASE WHEN {status} = ANY ($2) THEN {m.Expression("completed_at")} END, $3,
                    NOT ({status} = ANY ($2)) AND EXISTS (SELECT FROM jobqueue.job_queue_task_limits t WHERE t.task_type = {m.Expression("task_type")})
               FROM {table} l
              WHERE {status} = ANY ($1)
             ON CONFLICT (id) DO UPDATE
                SET status = EXCLUDED.status, run_at = EXCLUDED.run_at, attempts = EXCLUDED.attempts, last_error = EXCLUDED.last_error,
                    completed_at = EXCLUDED.completed_at, held = EXCLUDED.held, updated_at = now()
              WHERE j.triggered_by = EXCLUDED.triggered_by AND j.status = 'cancelled'
             """, cancellationToken, copied, failed, origin);

        var kept = q.KeptAs;
        if (await LegacyDiscoverer.ScalarAsync<bool>(app, $"SELECT to_regclass('public.{Q(kept)}') IS NOT NULL", cancellationToken))
        {
            kept += "_" + stamp;
        }

        await Exec(app, $"ALTER TABLE {table} RENAME TO {Q(kept)}", cancellationToken);
        await RecordAsync(app, "table_renamed", $"public.{q.Table.Name}", $"public.{kept}", $"{{\"copied\": {n}}}", cancellationToken);
        var inserters = await LegacyDiscoverer.ListAsync(app,
            """
            SELECT DISTINCT quote_ident(pg_get_userbyid(a.grantee))
              FROM pg_class c, aclexplode(c.relacl) a
             WHERE c.oid = $1::regclass AND a.privilege_type = 'INSERT' AND a.grantee <> 0 AND a.grantee <> c.relowner
               AND pg_get_userbyid(a.grantee) NOT IN ('anon', 'authenticated')
            """, r => r.GetString(0), cancellationToken, $"public.{Q(kept)}");
        foreach (var sql in LegacyQueueView.Sql(q with { KeptAs = kept }, inserters, defaults))
        {
            await Exec(app, sql, cancellationToken);
        }

        await RecordAsync(app, "view_created", $"public.{q.Table.Name}", null, $"{{\"function\": \"public.{LegacyQueueView.InsertFunction}()\"}}", cancellationToken);
        return
        [
            $"{n} job(s) of {table} copied into jobqueue.job_queue (ids, payloads, attempts, due times kept; triggered_by '{origin}')",
            $"{table} renamed to public.{kept} (kept with its rows)",
            $"the view {table} now stands in its place: inserts into it enqueue into JobQueue",
        ];
    }

    private static async Task<string> ConvertAsync(CutoverSession session, NpgsqlConnection cron, CutoverPlan plan, CronJobConversion c, CancellationToken cancellationToken)
    {
        var p = c.Plan;
        var target = session.CronIsApp ? null : plan.Found.Database;
        await Exec(cron,
            "SELECT count(*) FROM jobqueue.create_cron_job(job_name => $1, job_schedule => $2, task_type => 'http_request', task_payload => $3::jsonb, max_attempts => 3, dedupe_key => $1, target_database => $4)",
            cancellationToken, p.NewJobName, p.Schedule, c.Payload!.ToJsonString(), target);
        await Exec(cron, "SELECT cron.alter_job(job_id => $1, active => false)", cancellationToken, p.JobId);
        var record =
            """
            INSERT INTO jobqueue.cutover_cron_jobs (old_jobid, old_jobname, old_username, old_database, old_command_md5, new_jobname)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (old_jobid) DO UPDATE
               SET old_jobname = EXCLUDED.old_jobname, old_username = EXCLUDED.old_username, old_database = EXCLUDED.old_database,
                   old_command_md5 = EXCLUDED.old_command_md5, new_jobname = EXCLUDED.new_jobname, converted_at = now(), rolled_back_at = NULL
            """;
        object?[] values = [p.JobId, p.Name, p.Username, plan.Found.Database, p.CommandMd5, p.NewJobName];
        await Exec(cron, record, cancellationToken, values);
        if (!session.CronIsApp)
        {
            await Exec(session.App, record, cancellationToken, values);
        }

        return $"pg_cron job {p.JobId} '{p.Name}' disabled; the JobQueue schedule {p.NewJobName} ({p.Schedule}, http_request) replaces it";
    }

    private static Task<int> RecordAsync(NpgsqlConnection app, string kind, string legacy, string? keptAs, string detail, CancellationToken cancellationToken) =>
        Exec(app, "INSERT INTO jobqueue.cutover_actions (kind, legacy_name, kept_as, detail) VALUES ($1, $2, $3, $4::jsonb)", cancellationToken, kind, legacy, keptAs, detail);

    private static Task<int> Exec(NpgsqlConnection c, string sql, CancellationToken cancellationToken, params object?[] args) =>
        CutoverSession.ExecuteAsync(c, sql, cancellationToken, args);
}
