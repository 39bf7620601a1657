using System.Text.Json;
using Npgsql;
using static JobQueue.Cutover.LegacyQueueMapping;

namespace JobQueue.Cutover;

/// <summary>
/// Undoes what the applies recorded and did not roll back yet, newest first, inside the session's
/// transactions: drops the wrappers and renames the legacy RPCs back, drops the view and renames the
/// legacy table back, puts JobQueue's pause switch back as it was, re-enables the disabled pg_cron jobs
/// and removes the schedules that replaced them. JobQueue's data stays: adopted jobs still pending in
/// JobQueue are cancelled (the legacy queue, which still holds them as pending, runs them), and jobs
/// JobQueue already ran are listed, since the legacy worker would run them again. Idempotent.
/// </summary>
public static class CutoverRollback
{
    public const string CancelledReason = "cut-over rolled back: the legacy queue runs this job";

    public static async Task<(IReadOnlyList<string> Done, IReadOnlyList<string> Warnings)> RollbackAsync(
        CutoverSession session, LegacyInventory found, CancellationToken cancellationToken)
    {
        var app = session.App;
        var done = new List<string>();
        var warnings = new List<string>();
        foreach (var a in found.Record.Actions.OrderByDescending(a => a.Id))
        {
            switch (a.Kind)
            {
                case "function_renamed":
                    if (await IsCutoverObjectAsync(app, $"SELECT obj_description(to_regprocedure({L(a.LegacyName)}), 'pg_proc')", cancellationToken))
                    {
                        await Exec(app, $"DROP FUNCTION {a.LegacyName}", cancellationToken);
                    }

                    await Exec(app, $"ALTER FUNCTION {a.KeptAs} RENAME TO {Q(BareName(a.LegacyName))}", cancellationToken);
                    done.Add($"{a.LegacyName} is the legacy function again (the wrapper is dropped)");
                    break;
                case "view_created":
                    if (await IsCutoverObjectAsync(app, $"SELECT obj_description(to_regclass({L(a.LegacyName)}), 'pg_class')", cancellationToken))
                    {
                        await Exec(app, $"DROP VIEW {a.LegacyName}", cancellationToken);
                    }

                    await Exec(app, $"DROP FUNCTION IF EXISTS public.{LegacyQueueView.InsertFunction}()", cancellationToken);
                    done.Add($"the view {a.LegacyName} is dropped");
                    break;
                case "table_renamed":
                    await Exec(app, $"ALTER TABLE {a.KeptAs} RENAME TO {Q(BareName(a.LegacyName))}", cancellationToken);
                    done.Add($"{a.KeptAs} is {a.LegacyName} again");
                    var origin = "cutover:" + a.LegacyName;
                    var cancelled = await Exec(app,
                        "UPDATE jobqueue.job_queue SET status = 'cancelled', held = false, last_error = $2, completed_at = now(), updated_at = now() WHERE triggered_by = $1 AND status = 'pending'",
                        cancellationToken, origin, CancelledReason);
                    done.Add($"{cancelled} adopted job(s) still pending in JobQueue cancelled there ({a.LegacyName} holds them and runs them)");
                    var ran = await LegacyDiscoverer.ListAsync(app,
                        "SELECT id::text FROM jobqueue.job_queue WHERE triggered_by = $1 AND status IN ('processing', 'succeeded') ORDER BY id LIMIT 50",
                        r => r.GetString(0), cancellationToken, origin);
                    if (ran.Count > 0)
                    {
                        warnings.Add($"{ran.Count} adopted job(s) already ran (or are running) on JobQueue, and {a.LegacyName} still holds them as to be run: "
                                     + $"mark them done there before the legacy worker runs them again (ids: {string.Join(", ", ran)})");
                    }

                    break;
                case "settings_carried":
                    using (var doc = JsonDocument.Parse(a.Detail))
                    {
                        var enabled = !doc.RootElement.TryGetProperty("processing_enabled", out var e) || e.ValueKind != JsonValueKind.False;
                        var reason = doc.RootElement.TryGetProperty("paused_reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
                        await Exec(app, "SELECT jobqueue.job_queue_set_settings(processing_enabled => $1, paused_reason => $2, updated_by => 'cutover rollback')",
                            cancellationToken, enabled, reason);
                        done.Add($"JobQueue's processing is {(enabled ? "enabled" : "paused")} again, as before the cut-over");
                    }

                    break;
                case "cron_job_disabled" when session.Cron is { } cron:
                    using (var doc = JsonDocument.Parse(a.Detail))
                    {
                        var id = doc.RootElement.GetProperty("jobid").GetInt64();
                        await EnableAsync(cron, id, cancellationToken);
                        done.Add($"pg_cron job {id} enabled again");
                    }

                    break;
                case "cron_job_disabled":
                    warnings.Add($"{a.LegacyName} was not re-enabled: pg_cron's database is not reachable from this connection");
                    continue;
            }

            await Exec(app, "UPDATE jobqueue.cutover_actions SET rolled_back_at = now() WHERE id = $1", cancellationToken, a.Id);
        }

        if (session.Cron is { } c)
        {
            foreach (var job in found.Record.ConvertedJobs)
            {
                await EnableAsync(c, job.OldJobId, cancellationToken);
                if (await LegacyDiscoverer.ScalarAsync<bool>(c, "SELECT EXISTS (SELECT FROM jobqueue.cron_admin_own_jobs() o WHERE o.jobname = $1)", cancellationToken, job.NewJobName))
                {
                    await Exec(c, "SELECT jobqueue.delete_cron_job($1)", cancellationToken, job.NewJobName);
                }

                const string mark = "UPDATE jobqueue.cutover_cron_jobs SET rolled_back_at = now() WHERE old_jobid = $1 AND rolled_back_at IS NULL";
                await Exec(c, mark, cancellationToken, job.OldJobId);
                if (!session.CronIsApp)
                {
                    await Exec(app, mark, cancellationToken, job.OldJobId);
                }

                done.Add($"pg_cron job {job.OldJobId} '{job.OldJobName}' enabled again; the JobQueue schedule {job.NewJobName} is removed");
            }
        }
        else if (found.Record.ConvertedJobs.Count > 0)
        {
            warnings.Add("the converted pg_cron jobs were not restored: pg_cron's database is not reachable from this connection");
        }

        return (done, warnings);
    }

    private static async Task EnableAsync(NpgsqlConnection cron, long jobId, CancellationToken cancellationToken)
    {
        if (await LegacyDiscoverer.ScalarAsync<bool>(cron, "SELECT EXISTS (SELECT FROM cron.job WHERE jobid = $1)", cancellationToken, jobId))
        {
            await Exec(cron, "SELECT cron.alter_job(job_id => $1, active => true)", cancellationToken, jobId);
        }
    }

    private static async Task<bool> IsCutoverObjectAsync(NpgsqlConnection app, string sql, CancellationToken cancellationToken) =>
        (await LegacyDiscoverer.ScalarAsync<string?>(app, sql, cancellationToken))?.StartsWith(LegacyDiscoverer.Marker, StringComparison.Ordinal) == true;

    /// <summary><c>public.job_queue_enqueue(task_type text, ...)</c> → <c>job_queue_enqueue</c>.</summary>
    private static string BareName(string qualified)
    {
        var name = qualified.StartsWith("public.", StringComparison.Ordinal) ? qualified[7..] : qualified;
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        return (paren < 0 ? name : name[..paren]).Trim('"');
    }

    private static Task<int> Exec(NpgsqlConnection c, string sql, CancellationToken cancellationToken, params object?[] args) =>
        CutoverSession.ExecuteAsync(c, sql, cancellationToken, args);
}
