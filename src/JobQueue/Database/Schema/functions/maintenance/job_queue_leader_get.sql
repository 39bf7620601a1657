-- Who leads `name` (leader, election and expiry times), no row when nobody holds an unexpired lease
-- (MaintenanceStore.GetLeaderAsync): for tests and diagnostics; the hosts do not call it.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_leader_get(name text)
 RETURNS TABLE(leader_id text, elected_at timestamp with time zone, expires_at timestamp with time zone)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  SELECT l.leader_id, l.elected_at, l.expires_at FROM job_queue_leader l WHERE l.name = $1 AND l.expires_at >= now();
$function$;
