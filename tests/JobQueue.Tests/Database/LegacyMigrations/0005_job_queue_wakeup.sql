-- Wake-ups for idle runners (the self-hosted server's runner loop LISTENs on channel 'job_queue').
--
-- A NOTIFY on every enqueue would cost every enqueue: PostgreSQL serializes the commits of
-- notifying transactions (a cluster-wide lock held through the commit's WAL flush), which measured
-- 5,150 -> 3,330 one-at-a-time enqueues/s with 4 producers (pgbench). So only an idle runner asks
-- for wake-ups: it sets job_queue_wakeup.idle_until while it waits (refreshed on every poll, so a
-- runner that died stops asking within seconds), and clears it when it has work again. Enqueues,
-- retries, run-now and lease rescues notify only while some runner is waiting; a busy queue sends
-- no notifications at all, and the claims and finishes of the hot path do not even look.

CREATE TABLE IF NOT EXISTS job_queue_wakeup (
  id          boolean     PRIMARY KEY DEFAULT true CHECK (id),
  idle_until  timestamptz
);

INSERT INTO job_queue_wakeup (id) VALUES (true) ON CONFLICT (id) DO NOTHING;

ALTER TABLE job_queue_wakeup ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON job_queue_wakeup FROM PUBLIC;

-- a runner going idle (idle_for > 0: wake me for new due jobs until now + idle_for) or busy again
-- (NULL or zero)
CREATE OR REPLACE FUNCTION job_queue_set_runner_idle(idle_for interval)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  UPDATE job_queue_wakeup
     SET idle_until = CASE WHEN $1 > interval '0' THEN now() + LEAST($1, interval '1 hour') END
   WHERE id;
$$;

-- one check (and at most one notification) per enqueue call, whatever its size; and per row that
-- an update makes due now
CREATE OR REPLACE FUNCTION job_queue_wake_idle_runners()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  IF (SELECT w.idle_until > now() FROM job_queue_wakeup w WHERE w.id) THEN
    PERFORM pg_notify('job_queue', '');
  END IF;
  RETURN NULL;
END
$$;

-- enqueues: once per statement (a batch of 10,000 jobs checks once)
DROP TRIGGER IF EXISTS job_queue_wake_idle_runners ON job_queue;
CREATE TRIGGER job_queue_wake_idle_runners
  AFTER INSERT ON job_queue
  FOR EACH STATEMENT EXECUTE FUNCTION job_queue_wake_idle_runners();

-- updates that make a job due now: a retry, run-now, a lease rescue (and a failed attempt whose
-- backoff is zero). The WHEN clause is evaluated per row without calling anything, so the claims and
-- the finishes of the hot path (processing, succeeded, failed, or a backoff in the future) never
-- fire it.
DROP TRIGGER IF EXISTS job_queue_wake_idle_runners_due ON job_queue;
CREATE TRIGGER job_queue_wake_idle_runners_due
  AFTER UPDATE OF status, run_at ON job_queue
  FOR EACH ROW WHEN (NEW.status = 'pending' AND NEW.run_at <= now())
  EXECUTE FUNCTION job_queue_wake_idle_runners();

CALL jobqueue_grant_app_execute('job\_queue\_%');
