-- Leader election for the queue's upkeep (lease rescue on a schedule, final-failure reports, queue
-- gauges: Maintenance/QueueMaintainer.cs). Of all the instances of both hosts that run a maintainer,
-- exactly one leads at a time: a lease row per name, held until expires_at and renewed by its
-- holder on every round. A holder that dies (or freezes) stops renewing; once its lease has expired
-- the next instance that asks takes over. A lease row rather than a session advisory lock: a frozen
-- process keeps its connection (and such a lock) forever, but not its lease; and a Functions timer
-- invocation holds no connection between ticks.

CREATE TABLE IF NOT EXISTS jobqueue.job_queue_leader (
  name        text        PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 100),
  leader_id   text        NOT NULL CHECK (length(leader_id) BETWEEN 1 AND 200),
  elected_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);

-- True when leader_id holds (or now takes, or renews) the lease `name` until now() + ttl.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_leader_elect(name text, leader_id text, ttl interval)
RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
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
$$;

-- A leader that stops (shutdown) hands over at once instead of after its lease.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_leader_resign(name text, leader_id text)
RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
  WITH gone AS (
    DELETE FROM job_queue_leader l WHERE l.name = $1 AND l.leader_id = $2 RETURNING 1
  )
  SELECT EXISTS (SELECT 1 FROM gone);
$$;

-- Who leads `name` now (null when nobody does): for health and tests.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_leader_get(name text)
RETURNS TABLE (leader_id text, elected_at timestamptz, expires_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
  SELECT l.leader_id, l.elected_at, l.expires_at FROM job_queue_leader l WHERE l.name = $1 AND l.expires_at >= now();
$$;

CALL jobqueue.lock_down();
CALL jobqueue.grant_app_execute('job\_queue\_leader\_%');
