using static JobQueue.Cutover.LegacyQueueMapping;

namespace JobQueue.Cutover;

/// <summary>
/// The SQL of a wrapper that takes a legacy RPC's place: the same name and arguments (names, types and
/// defaults as pg_proc had them, so positional and named calls from pg_cron commands, PostgREST and
/// app code keep working), a body that calls JobQueue's function, SECURITY DEFINER (the caller needs
/// no privilege on jobqueue) and exactly the EXECUTE grants the legacy function had. Results are
/// JobQueue's: the new job's id (or row), the claimed jobs as jobqueue.job_queue rows, true when an
/// attempt was finished; a legacy function returning void still returns void.
/// </summary>
public static class LegacyRpcWrappers
{
    /// <summary>The CREATE FUNCTION, COMMENT and grants of the wrapper of <paramref name="f"/>, whose legacy body is kept as <paramref name="keptAs"/>.</summary>
    public static IReadOnlyList<string> Sql(LegacyFunction f, string keptAs, IReadOnlyList<string> defaultGrantees)
    {
        var args = f.Arguments.Select((a, i) => (Name: Normal(a.Name), Type: a.Type, Ref: $"${i + 1}", Position: i + 1)).ToList();
        // by name (without p_ / _ prefixes), else the argument at the legacy position
        string? Arg(int position, params string[] names) =>
            args.FirstOrDefault(a => names.Contains(a.Name)).Ref
            ?? args.FirstOrDefault(a => a.Position == position).Ref;
        var legacyVoid = f.Result == "void";
        var rowResult = !legacyVoid && f.Result != "uuid" && f.Result != "boolean" && f.Result != "bigint" && f.Result != "integer" && f.Result != "text";
        var source = $"'legacy:public.{f.Name}'";
        string result, body;
        switch (f.Name)
        {
            case "job_queue_enqueue":
            {
                var task = Arg(1, "task_type", "job_type", "type", "task", "name") ?? "NULL";
                var payload = Arg(2, "payload", "data", "args", "params");
                var runAt = Arg(3, "run_at", "scheduled_at", "run_after", "scheduled_for");
                var maxAttempts = Arg(4, "max_attempts", "max_tries");
                var dedupe = args.FirstOrDefault(a => a.Name == "dedupe_key").Ref;
                var used = new[] { task, payload, runAt, maxAttempts, dedupe };
                var extra = args.Where(a => a.Name.Length > 0 && !used.Contains(a.Ref)).ToList();
                var payloadSql = $"COALESCE({payload ?? "NULL"}::jsonb, '{{}}'::jsonb)"
                                 + (extra.Count == 0 ? "" : $" || jsonb_strip_nulls(jsonb_build_object({string.Join(", ", extra.Select(e => $"{L(e.Name)}, {e.Ref}"))}))");
                var call = $"jobqueue.job_queue_enqueue(task_type => {task}::text, payload => {payloadSql}, run_at => COALESCE({runAt ?? "NULL"}::timestamptz, now()), "
                           + $"max_attempts => COALESCE({maxAttempts ?? "NULL"}::integer, 3), dedupe_key => {dedupe ?? "NULL"}::text, triggered_by => {source})";
                result = legacyVoid ? "void" : rowResult ? (f.ReturnsSet ? "SETOF jobqueue.job_queue" : "jobqueue.job_queue") : "uuid";
                // the new job's id first: a volatile call in a WHERE clause would run once per row read
                body = $"new_id := {call};\n  "
                       + (legacyVoid ? "RETURN;"
                          : !rowResult ? "RETURN new_id;"
                          : f.ReturnsSet ? "RETURN QUERY SELECT * FROM jobqueue.job_queue j WHERE j.id = new_id;"
                          : "RETURN (SELECT j FROM jobqueue.job_queue j WHERE j.id = new_id);");
                break;
            }

            case "job_queue_claim":
            {
                var limit = Arg(1, "limit", "batch_size", "max_jobs", "n", "count", "size");
                var lease = args.FirstOrDefault(a => a.Type == "interval" && a.Name is "lease" or "lock_duration" or "visibility_timeout" or "lease_duration").Ref;
                var runner = args.FirstOrDefault(a => a.Name is "worker_id" or "runner_id" or "worker" or "locked_by").Ref;
                var call = $"jobqueue.job_queue_claim(\"limit\" => COALESCE({limit ?? "NULL"}::integer, 5)"
                           + (lease is null ? "" : $", lease => COALESCE({lease}, interval '5 minutes')")
                           + $", runner_id => COALESCE({runner ?? "NULL"}::text, {source}))";
                result = legacyVoid ? "void" : "SETOF jobqueue.job_queue";
                body = legacyVoid ? $"PERFORM {call};\n  RETURN;" : $"RETURN QUERY SELECT * FROM {call};";
                break;
            }

            default:
            {
                var id = Arg(1, "id", "job_id") ?? "NULL";
                var call = f.Name == "job_queue_mark_succeeded"
                    ? $"jobqueue.job_queue_mark_succeeded({id}::uuid, {Arg(2, "output", "result", "results") ?? "NULL"}::jsonb)"
                    : $"jobqueue.job_queue_mark_failed({id}::uuid, {Arg(2, "error", "error_message", "err", "last_error", "message") ?? "NULL"}::text, {Interval(args.FirstOrDefault(a => a.Name is "retry_in" or "retry_delay" or "delay" or "retry_after" || (a.Name.Length == 0 && a.Position == 3)))})";
                result = legacyVoid ? "void" : "boolean";
                body = legacyVoid ? $"PERFORM {call};\n  RETURN;" : $"RETURN {call};";
                break;
            }
        }

        var identity = $"public.{Q(f.Name)}({f.IdentityArguments})";
        var sql = new List<string>
        {
            $"""
             CREATE FUNCTION public.{Q(f.Name)}({f.ArgumentsWithDefaults}) RETURNS {result}
              LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
             AS $cutover$
             DECLARE
               new_id uuid;
             BEGIN
               {body}
             END
             $cutover$
             """,
            $"COMMENT ON FUNCTION {identity} IS {L($"{LegacyDiscoverer.Marker} wrapper of jobqueue.{f.Name}; the legacy function is kept as public.{keptAs}")}",
            $"REVOKE ALL ON FUNCTION {identity} FROM PUBLIC",
        };
        sql.AddRange(defaultGrantees.Select(g => $"REVOKE ALL ON FUNCTION {identity} FROM {g}"));
        sql.AddRange(f.ExecuteGrantees.Select(g => $"GRANT EXECUTE ON FUNCTION {identity} TO {g}"));
        return sql;
    }

    private static string Interval((string Name, string Type, string Ref, int Position) arg) =>
        arg.Ref is null ? "NULL"
        : arg.Type is "integer" or "bigint" or "numeric" or "double precision" or "real" or "smallint" ? $"make_interval(secs => {arg.Ref})"
        : $"{arg.Ref}::interval";

    /// <summary>An argument name without the prefixes legacy code uses (<c>p_task_type</c>, <c>_payload</c>).</summary>
    private static string Normal(string name)
    {
        var n = name.ToLowerInvariant();
        foreach (var prefix in new[] { "p_", "in_", "arg_", "_" })
        {
            if (n.StartsWith(prefix, StringComparison.Ordinal) && n.Length > prefix.Length)
            {
                return n[prefix.Length..];
            }
        }

        return n;
    }
}
