-- Holds a task type back until `until` (NULL or a past time: resume), with a reason
-- (TaskLimitStore.PauseAsync): from the API (POST admin/task-limits/pause and /resume, source
-- 'api'), or from the runner when a handler asks for a pause, e.g. after a 429 with Retry-After
-- (source 'handler'). A handler's pause never shortens a longer one in force, and never takes the
-- row over from an operator or the settings. The type's limits stay as they were; a row left with
-- no limit and no pause in force is deleted (the type runs freely) and nothing is returned;
-- otherwise the row is returned. When the row appeared or went, held_flag_sync rewrites the type's
-- held flags (how that is told: see job_queue_set_task_limits).
CREATE OR REPLACE FUNCTION jobqueue.job_queue_pause_task_type(task_type text, until timestamp with time zone, reason text DEFAULT NULL::text, source text DEFAULT 'api'::text, updated_by text DEFAULT NULL::text)
 RETURNS SETOF jobqueue.job_queue_task_limits
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
#variable_conflict use_column
DECLARE
  inserted boolean;
  deleted integer;
BEGIN
  INSERT INTO job_queue_task_limits AS l (task_type, paused_until, paused_reason, source, updated_by, updated_at)
  VALUES (job_queue_pause_task_type.task_type, job_queue_pause_task_type.until, left(job_queue_pause_task_type.reason, 500),
          job_queue_pause_task_type.source, job_queue_pause_task_type.updated_by, now())
  ON CONFLICT (task_type) DO UPDATE
     SET paused_until  = CASE WHEN EXCLUDED.source = 'handler' AND l.paused_until > EXCLUDED.paused_until
                              THEN l.paused_until ELSE EXCLUDED.paused_until END,
         paused_reason = CASE WHEN EXCLUDED.source = 'handler' AND l.paused_until > EXCLUDED.paused_until
                              THEN l.paused_reason ELSE EXCLUDED.paused_reason END,
         source        = CASE WHEN l.source = 'handler' OR EXCLUDED.source <> 'handler' THEN EXCLUDED.source ELSE l.source END,
         updated_by    = EXCLUDED.updated_by,
         updated_at    = now()
  RETURNING (l.xmax = 0) INTO inserted;
  DELETE FROM job_queue_task_limits l
   WHERE l.task_type = job_queue_pause_task_type.task_type AND l.max_concurrency IS NULL AND l.partition_by IS NULL
     AND l.rate_limit IS NULL AND (l.paused_until IS NULL OR l.paused_until <= now());
  GET DIAGNOSTICS deleted = ROW_COUNT;
  IF inserted = (deleted = 0) THEN
    PERFORM held_flag_sync(job_queue_pause_task_type.task_type);
  END IF;
  RETURN QUERY SELECT * FROM job_queue_task_limits l WHERE l.task_type = job_queue_pause_task_type.task_type;
END
$function$;
