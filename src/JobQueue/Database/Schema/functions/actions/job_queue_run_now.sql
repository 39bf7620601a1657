-- An operator runs a pending job now (JobActionStore.RunNowAsync: POST admin/jobs/{id}/run-now):
-- its run_at becomes now(), so a job scheduled for later or waiting out a retry backoff is due at
-- once (the wake-up trigger tells idle runners). Returns (outcome, status): 'ok', 'not_found', or
-- 'invalid_state' with the job's status when it is not pending.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_run_now(id uuid)
 RETURNS TABLE(outcome text, status text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
#variable_conflict use_column
DECLARE
  current text;
BEGIN
  SELECT q.status INTO current FROM job_queue q WHERE q.id = job_queue_run_now.id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text; RETURN;
  END IF;
  IF current <> 'pending' THEN
    RETURN QUERY SELECT 'invalid_state'::text, current; RETURN;
  END IF;
  UPDATE job_queue q SET run_at = now(), updated_at = now() WHERE q.id = job_queue_run_now.id;
  RETURN QUERY SELECT 'ok'::text, 'pending'::text;
END
$function$;
