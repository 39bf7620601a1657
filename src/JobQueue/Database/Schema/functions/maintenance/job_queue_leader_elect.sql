-- True when leader_id holds (or now takes, or renews) the lease `name` until now() + ttl.
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
