-- A leader that stops (shutdown) hands the lease `name` over at once instead of after it expires
-- (LeaderElector, via MaintenanceStore.ResignAsync); true when leader_id held it.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_leader_resign(name text, leader_id text)
 RETURNS boolean
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  WITH gone AS (
    DELETE FROM job_queue_leader l WHERE l.name = $1 AND l.leader_id = $2 RETURNING 1
  )
  SELECT EXISTS (SELECT 1 FROM gone);
$function$;
