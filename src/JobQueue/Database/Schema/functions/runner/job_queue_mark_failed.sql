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
