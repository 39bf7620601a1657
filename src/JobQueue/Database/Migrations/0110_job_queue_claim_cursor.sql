-- The claim under a held xmin horizon, and rescued jobs that keep their place.
--
-- 1. A claim that does not re-read the jobs it already took. Every claim used to scan the due index
--    (run_at) from its lowest key. A claimed job leaves its old index entry behind; normally the next
--    scan that meets it marks it dead and later ones skip it almost for free, but while any session
--    holds a snapshot open (a long report, an "idle in transaction" client, pg_dump: the xmin
--    horizon is held) no entry can be marked, so every claim walked past every job claimed since
--    that snapshot: measured 10.5 ms per claim after 25,000 claimed jobs (0.42 µs per entry), a
--    drain that slows as it goes. Now the due index is (run_at, id) and the claim takes an optional
--    cursor (after_run_at, after_id): the library passes the key of the last job it claimed, so the
--    scan starts there and never meets those entries. Jobs that sort before the cursor (a rescued
--    job at its original place, a job enqueued with a past run_at) are found by the claims that pass
--    no cursor (the library does that at least once a second: Queue/ClaimCursor.cs), and by a claim
--    with a cursor whenever fewer jobs than asked for lie after it.
--
-- 2. The lease rescue inside the claim reads only expired leases. It used to test
--    min(locked_until) of every processing job, a scan that under a held horizon walked past every
--    finished job's old entry (16 ms per claim after 25,000 jobs); EXISTS with the range
--    locked_until < now() stops at the first lease that has not expired.
--
-- The claim keeps rescuing expired leases (so every busy runner brings a dead runner's jobs back at
-- once, and legacy callers of job_queue_claim(limit) keep that behaviour); the maintainer
-- (Maintenance/QueueMaintainer.cs) rescues on its own schedule too. Jobs that run out of attempts
-- in a rescue are recorded in job_queue_final_failures, which the maintainer drains into the
-- runner's "failed for good" log event and metric (0111).

DROP INDEX IF EXISTS jobqueue.job_queue_due_idx;
CREATE INDEX job_queue_due_idx ON jobqueue.job_queue (run_at, id) WHERE status = 'pending';

DROP FUNCTION IF EXISTS jobqueue.job_queue_claim(integer, interval, text);

CREATE FUNCTION jobqueue.job_queue_claim(
  "limit"      integer,
  lease        interval    DEFAULT interval '5 minutes',
  runner_id    text        DEFAULT NULL,
  after_run_at timestamptz DEFAULT NULL,
  after_id     uuid        DEFAULT NULL)
RETURNS SETOF jobqueue.job_queue
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  n         integer  := LEAST(GREATEST(COALESCE(job_queue_claim."limit", 1), 0), 10000);
  who       text     := COALESCE(job_queue_claim.runner_id, 'sql:' || pg_backend_pid());
  lease_for interval := COALESCE(job_queue_claim.lease, interval '5 minutes');
  after_key uuid     := COALESCE(job_queue_claim.after_id, '00000000-0000-0000-0000-000000000000'::uuid);
  ids       uuid[];
BEGIN
  IF n = 0 THEN
    RETURN;
  END IF;
  -- rescue only when some lease has expired: reads the lease index up to now() only
  IF EXISTS (SELECT 1 FROM job_queue q WHERE q.status = 'processing' AND q.locked_until < now()) THEN
    PERFORM job_queue_rescue_expired(100);
  END IF;
  -- the due ids are locked first, then updated by primary key: the plan never depends on the
  -- table's size or on how many jobs are processing
  IF job_queue_claim.after_run_at IS NULL THEN
    ids := ARRAY(
      SELECT q.id FROM job_queue q
       WHERE q.status = 'pending' AND q.run_at <= now()
       ORDER BY q.run_at, q.id
       LIMIT n
         FOR UPDATE SKIP LOCKED);
  ELSE
    ids := ARRAY(
      SELECT q.id FROM job_queue q
       WHERE q.status = 'pending' AND q.run_at <= now()
         AND (q.run_at, q.id) > (job_queue_claim.after_run_at, after_key)
       ORDER BY q.run_at, q.id
       LIMIT n
         FOR UPDATE SKIP LOCKED);
    IF cardinality(ids) < n THEN
      -- too few after the cursor: the ones before it too (this scan meets the old entries)
      ids := ids || ARRAY(
        SELECT q.id FROM job_queue q
         WHERE q.status = 'pending' AND q.run_at <= now()
           AND (q.run_at, q.id) <= (job_queue_claim.after_run_at, after_key)
         ORDER BY q.run_at, q.id
         LIMIT n - cardinality(ids)
           FOR UPDATE SKIP LOCKED);
    END IF;
  END IF;
  RETURN QUERY
  UPDATE job_queue j
     SET status       = 'processing',
         attempts     = j.attempts + 1,
         locked_by    = who,
         locked_until = now() + lease_for,
         started_at   = now(),
         updated_at   = now()
   WHERE j.id = ANY (ids)
  RETURNING j.*;
END
$$;

CALL jobqueue.create_compat_wrappers(ARRAY['job_queue_claim']);

CALL jobqueue.lock_down();
CALL jobqueue.grant_app_execute('job\_queue\_claim');
