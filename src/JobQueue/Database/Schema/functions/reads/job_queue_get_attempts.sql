-- A job's attempt history, oldest first (JobReadStore.GetAttemptsAsync): one row per finished
-- attempt (outcome succeeded, failed, retry, snoozed, cancelled or lease_expired) with its runner,
-- start and finish, error and duration.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_get_attempts(job_id uuid)
 RETURNS SETOF jobqueue.job_queue_attempts
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  SELECT * FROM job_queue_attempts a WHERE a.job_id = $1 ORDER BY a.id;
$function$;
