-- The single-job failure of the positional signature SQL callers use (the library batches through
-- job_queue_complete): fails the job's current attempt with error, to be retried after retry_in
-- when given and attempts are left. Without runner_id the current lease holder is assumed. True
-- when the job was still processing under that runner and was finished.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_mark_failed(id uuid, error text, retry_in interval DEFAULT NULL::interval, runner_id text DEFAULT NULL::text)
 RETURNS boolean
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  SELECT EXISTS (
    SELECT 1 FROM job_queue_complete(
      COALESCE($4, (SELECT q.locked_by FROM job_queue q WHERE q.id = $1)),
      jsonb_build_array(jsonb_build_object(
        'id', $1, 'succeeded', false, 'error', $2,
        'retryInMs', (extract(epoch FROM $3) * 1000)::bigint))));
$function$;
