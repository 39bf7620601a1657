-- Leader election for the queue's upkeep (LeaderElector, via MaintenanceStore.ElectAsync): true
-- when leader_id holds the lease `name` until now() + ttl (ttl clamped to 1 second..10 minutes),
-- having just taken it (free or expired) or renewed it; false while another holder's lease runs.
-- elected_at stays on renewal. A lease row rather than a session advisory lock: a frozen process
-- keeps its connection (and such a lock) forever, but not its lease; and a Functions timer holds no
-- connection between ticks.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_leader_elect(name text, leader_id text, ttl interval)
 RETURNS boolean
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  WITH elected AS (
    INSERT INTO job_queue_leader AS l (name, leader_id, elected_at, expires_at)
    VALUES ($1, $2, now(), now() + LEAST(GREATEST(COALESCE($3, interval '10 seconds'), interval '1 second'), interval '10 minutes'))
    ON CONFLICT (name) DO UPDATE
       SET leader_id  = excluded.leader_id,
           elected_at = CASE WHEN l.leader_id = excluded.leader_id THEN l.elected_at ELSE now() END,
           expires_at = excluded.expires_at
     WHERE l.leader_id = excluded.leader_id OR l.expires_at < now()
    RETURNING true
  )
  SELECT COALESCE((SELECT true FROM elected), false);
$function$;
