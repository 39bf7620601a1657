-- An operator retries one failed or cancelled job (JobActionStore.RetryAsync:
-- POST admin/jobs/{id}/retry): back to pending, due now, attempts reset to 0, output cleared,
-- triggered_by set to actor when given. Returns (outcome, status) as job_queue_cancel does: 'ok',
-- 'not_found', or 'invalid_state' (also when a live job with the same dedupe key exists: retrying
-- would run the work twice). The job's held flag is read from the limits after its task type's
-- shared held-flag lock (see held_flag_key).
CREATE OR REPLACE FUNCTION jobqueue.job_queue_retry(id uuid, actor text DEFAULT NULL::text)
 RETURNS TABLE(outcome text, status text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
#variable_conflict use_column
DECLARE
  current text;
  retried_type text;
BEGIN
  SELECT q.status, q.task_type INTO current, retried_type FROM job_queue q WHERE q.id = job_queue_retry.id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text; RETURN;
  END IF;
  IF current NOT IN ('failed', 'cancelled') THEN
    RETURN QUERY SELECT 'invalid_state'::text, current; RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock_shared(held_flag_key(retried_type));
  BEGIN
    UPDATE job_queue q
       SET status = 'pending', attempts = 0, run_at = now(), completed_at = NULL, output = NULL,
           triggered_by = COALESCE(job_queue_retry.actor, q.triggered_by), updated_at = now(),
           held = q.task_type IN (SELECT l.task_type FROM job_queue_task_limits l)
     WHERE q.id = job_queue_retry.id;
  EXCEPTION WHEN unique_violation THEN
    -- a live job with the same dedupe key exists: retrying would run the work twice
    RETURN QUERY SELECT 'invalid_state'::text, current; RETURN;
  END;
  RETURN QUERY SELECT 'ok'::text, 'pending'::text;
END
$function$;
