-- The held flag's safety net (see held_flag_key), run by the maintenance leader (HeldFlagRepairer,
-- via MaintenanceStore.RepairHeldFlagsAsync): finds cheaply each task type that may have stale
-- flags, then rewrites each with held_flag_sync (under its exclusive lock), in sorted order;
-- returns the number of jobs changed (0 when nothing was stale). Looked at: held jobs of types
-- without limits (the distinct types of the held range, one index descent each); processing jobs
-- flagged against their type's limits; free jobs of limited types among the first 1,000 due jobs of
-- each priority level of job_queue_due_idx (what the claim's walk reads first; skipped when no type
-- has limits). A stale job further back is found once it reaches that head; until then it waits,
-- never claimed beyond a limit.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_repair_held()
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
DECLARE
  limited text[] := ARRAY(SELECT l.task_type FROM job_queue_task_limits l);
  stale text[];
  level integer;
  t text;
  total integer := 0;
BEGIN
  -- held, on a type without limits: the types of the held range, one descent each
  stale := ARRAY(
    WITH RECURSIVE types AS (
      (SELECT q.task_type FROM job_queue q WHERE q.status = 'pending' AND q.held ORDER BY q.task_type LIMIT 1)
      UNION ALL
      SELECT (SELECT q.task_type FROM job_queue q
               WHERE q.status = 'pending' AND q.held AND q.task_type > types.task_type
               ORDER BY q.task_type LIMIT 1)
        FROM types
       WHERE types.task_type IS NOT NULL)
    SELECT types.task_type FROM types WHERE types.task_type IS NOT NULL AND types.task_type <> ALL (limited));
  -- processing, flagged against the limits
  stale := stale || ARRAY(
    SELECT DISTINCT q.task_type FROM job_queue q
     WHERE q.status = 'processing' AND q.held <> (q.task_type = ANY (limited)));
  -- not held, on a limited type: the first 1,000 due jobs of each priority level (the walk's head)
  IF cardinality(limited) > 0 THEN
    level := (SELECT max(q.priority) FROM job_queue q WHERE q.status = 'pending' AND NOT q.held);
    WHILE level IS NOT NULL LOOP
      stale := stale || ARRAY(
        SELECT DISTINCT h.task_type FROM (
          SELECT q.task_type FROM job_queue q
           WHERE q.status = 'pending' AND NOT q.held AND q.priority = level AND q.run_at <= now()
           ORDER BY q.run_at, q.id
           LIMIT 1000) h
         WHERE h.task_type = ANY (limited));
      level := (SELECT max(q.priority) FROM job_queue q WHERE q.status = 'pending' AND NOT q.held AND q.priority < level);
    END LOOP;
  END IF;
  FOR t IN SELECT DISTINCT x.t FROM unnest(stale) AS x(t) ORDER BY 1 LOOP
    total := total + held_flag_sync(t);
  END LOOP;
  RETURN total;
END
$function$;
