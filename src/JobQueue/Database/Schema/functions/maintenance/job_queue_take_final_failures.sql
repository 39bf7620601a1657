-- Takes (deletes and returns) up to max_rows of the oldest unreported final failures (jobs that
-- job_queue_rescue_expired failed). FinalFailureReporter (MaintenanceStore.TakeFinalFailuresAsync)
-- calls it in a transaction and commits once they are logged, so that a reporter that dies before
-- its commit leaves them for the next one; SKIP LOCKED keeps two reporters off the same rows.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_take_final_failures(max_rows integer DEFAULT 100)
 RETURNS TABLE(job_id uuid, task_type text, attempt integer, max_attempts integer, runner_id text, error text, duration_ms integer, failed_at timestamp with time zone)
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  DELETE FROM job_queue_final_failures f
   WHERE f.id = ANY (ARRAY(
           SELECT o.id FROM job_queue_final_failures o
            ORDER BY o.id
            LIMIT LEAST(GREATEST(COALESCE($1, 100), 1), 10000)
              FOR UPDATE SKIP LOCKED))
  RETURNING f.job_id, f.task_type, f.attempt, f.max_attempts, f.runner_id, f.error, f.duration_ms, f.failed_at;
$function$;
