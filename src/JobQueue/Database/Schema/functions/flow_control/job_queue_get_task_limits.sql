-- Every task type with limits or a pause (TaskLimitStore.GetAsync: GET admin/task-limits), with
-- what is in force right now: the pause only while it lasts, the type's processing jobs (running)
-- and its starts in the current rate window (starts_in_window).
CREATE OR REPLACE FUNCTION jobqueue.job_queue_get_task_limits()
 RETURNS TABLE(task_type text, max_concurrency integer, partition_by text, max_concurrency_per_partition integer, rate_limit integer, rate_interval_ms bigint, paused_until timestamp with time zone, paused_reason text, source text, updated_by text, updated_at timestamp with time zone, running bigint, starts_in_window bigint)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  SELECT l.task_type, l.max_concurrency, l.partition_by, l.max_concurrency_per_partition, l.rate_limit,
         l.rate_interval_ms, CASE WHEN l.paused_until > now() THEN l.paused_until END,
         CASE WHEN l.paused_until > now() THEN l.paused_reason END, l.source, l.updated_by, l.updated_at,
         (SELECT count(*) FROM job_queue q WHERE q.status = 'processing' AND q.task_type = l.task_type),
         (SELECT count(*) FROM job_queue_task_starts s
           WHERE s.task_type = l.task_type AND s.started_at > now() - l.rate_interval_ms * interval '1 millisecond')
    FROM job_queue_task_limits l
   ORDER BY l.task_type;
$function$;
