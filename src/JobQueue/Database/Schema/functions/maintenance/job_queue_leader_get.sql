-- Who leads `name` now (null when nobody does): for health and tests.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_leader_get(name text)
 RETURNS TABLE(leader_id text, elected_at timestamp with time zone, expires_at timestamp with time zone)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  SELECT l.leader_id, l.elected_at, l.expires_at FROM job_queue_leader l WHERE l.name = $1 AND l.expires_at >= now();
$function$;
