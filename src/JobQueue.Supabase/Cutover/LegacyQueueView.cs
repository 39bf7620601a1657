using static JobQueue.Cutover.LegacyQueueMapping;

namespace JobQueue.Cutover;

/// <summary>
/// The view made in the legacy queue table's place (<c>public.job_queue</c>), so that what writes the
/// table by name (seed 001's trigger <c>schedule_first_reminder</c>, app code) keeps working: an
/// insert enqueues into JobQueue (jobqueue.job_queue_enqueue, through an INSTEAD OF trigger; a row
/// inserted with a status other than a pending one is ignored), and a select shows JobQueue's jobs in
/// the legacy columns. Column defaults are the legacy table's. No grant to PUBLIC, anon or
/// authenticated; the roles that could insert into the legacy table may insert into the view.
/// </summary>
public static class LegacyQueueView
{
    public const string InsertFunction = "job_queue_cutover_insert";

    private static readonly string[] SucceededWords = ["succeeded", "processed", "completed", "done", "success"];
    private static readonly string[] CancelledWords = ["cancelled", "canceled", "skipped"];

    public static IReadOnlyList<string> Sql(QueuePlan queue, IReadOnlyList<string> inserters, IReadOnlyList<string> defaultGrantees)
    {
        var table = queue.Table;
        var m = queue.Mapping;
        var view = $"public.{Q(table.Name)}";
        var columns = table.Columns.Select(c => $"{Column(c, m, table.StatusVocabulary)}::{c.Type} AS {Q(c.Name)}");
        var statusSource = m.Source("status")!;
        var pending = string.Join(", ", m.PendingStatuses.Select(L).DefaultIfEmpty("'pending'"));
        string New(string target) => m.Expression(target).Replace("l.\"", "NEW.\"", StringComparison.Ordinal);
        var sql = new List<string>
        {
            $"CREATE VIEW {view} AS SELECT {string.Join(", ", columns)} FROM jobqueue.job_queue j",
            $"COMMENT ON VIEW {view} IS {L($"{LegacyDiscoverer.Marker} JobQueue's jobs in the legacy shape; inserts enqueue into JobQueue. The legacy table is kept as public.{queue.KeptAs}")}",
            $"REVOKE ALL ON {view} FROM PUBLIC",
        };
        sql.AddRange(table.Columns.Where(c => c.Default is not null).Select(c => $"ALTER VIEW {view} ALTER COLUMN {Q(c.Name)} SET DEFAULT {c.Default}"));
        sql.Add($"""
                 CREATE FUNCTION public.{InsertFunction}() RETURNS trigger
                  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                 AS $cutover$
                 BEGIN
                   IF NEW.{Q(statusSource)} IS NOT NULL AND NEW.{Q(statusSource)}::text NOT IN ({pending}) THEN
                     RETURN NULL;
                   END IF;
                   NEW.id := jobqueue.job_queue_enqueue(task_type => {New("task_type")}, payload => {New("payload")},
                                                        run_at => {New("run_at")}, max_attempts => {New("max_attempts")},
                                                        triggered_by => 'legacy:public.{table.Name}');
                   RETURN NEW;
                 END
                 $cutover$
                 """);
        sql.Add($"COMMENT ON FUNCTION public.{InsertFunction}() IS {L($"{LegacyDiscoverer.Marker} inserts into the view public.{table.Name} enqueue into JobQueue")}");
        sql.Add($"REVOKE ALL ON FUNCTION public.{InsertFunction}() FROM PUBLIC");
        sql.AddRange(defaultGrantees.Select(g => $"REVOKE ALL ON {view} FROM {g}"));
        sql.AddRange(defaultGrantees.Select(g => $"REVOKE ALL ON FUNCTION public.{InsertFunction}() FROM {g}"));
        sql.Add($"CREATE TRIGGER {InsertFunction} INSTEAD OF INSERT ON {view} FOR EACH ROW EXECUTE FUNCTION public.{InsertFunction}()");
        sql.AddRange(inserters.Select(r => $"GRANT SELECT, INSERT ON {view} TO {r}"));
        return sql;
    }

    /// <summary>The expression of a legacy column over a JobQueue row (alias <c>j</c>).</summary>
    private static string Column(LegacyColumn c, LegacyQueueMapping m, IReadOnlyList<string> vocabulary)
    {
        var target = m.Columns.FirstOrDefault(x => x.Source == c.Name)?.Target;
        return target switch
        {
            "id" => "j.id",
            "task_type" => "j.task_type",
            "payload" => "j.payload",
            "run_at" => "j.run_at",
            "attempts" => "j.attempts",
            "max_attempts" => c.Name == "max_retries" ? "j.max_attempts - 1" : "j.max_attempts",
            "last_error" => "j.last_error",
            "created_at" => "j.created_at",
            "completed_at" => "j.completed_at",
            "status" => Status(vocabulary),
            _ when m.PayloadColumns.Contains(c.Name) => $"(j.payload ->> {L(c.Name)})",
            _ => c.Name switch
            {
                "updated_at" => "j.updated_at",
                "started_at" => "j.started_at",
                "locked_by" => "j.locked_by",
                "locked_until" => "j.locked_until",
                "output" or "result" or "results" => "j.output",
                "dedupe_key" => "j.dedupe_key",
                "priority" => "j.priority",
                _ => "NULL",
            },
        };
    }

    /// <summary>JobQueue's status in the legacy vocabulary where that has no word of its own.</summary>
    private static string Status(IReadOnlyList<string> vocabulary)
    {
        if (vocabulary.Count == 0)
        {
            return "j.status";
        }

        string Word(string[] words, string fallback) => L(words.FirstOrDefault(vocabulary.Contains) ?? fallback);
        return $"CASE j.status WHEN 'succeeded' THEN {Word(SucceededWords, "succeeded")} WHEN 'cancelled' THEN {Word(CancelledWords, "cancelled")} "
               + $"WHEN 'processing' THEN {Word(["processing", "running"], "pending")} WHEN 'failed' THEN {Word(["failed", "dead", "error"], "failed")} ELSE j.status END";
    }
}
