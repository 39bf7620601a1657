-- An operator cancels one job (JobActionStore.CancelAsync: POST admin/jobs/{id}/cancel). Only a
-- pending or processing job can be cancelled; last_error becomes "cancelled[ by actor][: reason]".
-- For a processing job the running attempt is recorded as cancelled and the lease cleared, so the
-- runner's late result is discarded by job_queue_complete's fencing (and its heartbeat drops the
-- job). Returns (outcome, status): outcome 'ok', 'not_found' or 'invalid_state'; status is the
-- job's status after the call, or its unchanged status when the action was refused. The job row is
-- locked (FOR UPDATE) from the check to the change.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_cancel(id uuid, actor text DEFAULT NULL::text, reason text DEFAULT NULL::text)
 RETURNS TABLE(outcome text, status text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
#variable_conflict use_column
DECLARE
  j job_queue;
  message text;
BEGIN
  SELECT * INTO j FROM job_queue q WHERE q.id = job_queue_cancel.id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text; RETURN;
  END IF;
  IF j.status NOT IN ('pending', 'processing') THEN
    RETURN QUERY SELECT 'invalid_state'::text, j.status; RETURN;
  END IF;
  message := left('cancelled' || COALESCE(' by ' || job_queue_cancel.actor, '')
                  || COALESCE(': ' || job_queue_cancel.reason, ''), 4000);
  IF j.status = 'processing' THEN
    INSERT INTO job_queue_attempts (job_id, attempt, runner_id, started_at, outcome, error, duration_ms)
    VALUES (j.id, j.attempts, j.locked_by, COALESCE(j.started_at, now()), 'cancelled', message,
            GREATEST(0, (extract(epoch FROM now() - COALESCE(j.started_at, now())) * 1000)::integer));
  END IF;
  UPDATE job_queue q
     SET status = 'cancelled', last_error = message, locked_by = NULL, locked_until = NULL,
         completed_at = now(), updated_at = now()
   WHERE q.id = j.id;
  RETURN QUERY SELECT 'ok'::text, 'cancelled'::text;
END
$function$;
