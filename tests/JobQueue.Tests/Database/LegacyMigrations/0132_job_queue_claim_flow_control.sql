-- The claim with priorities and per task type limits (0131).
--
-- Priorities: higher first, then run_at, then id. The due index becomes (priority, run_at, id) of
-- pending jobs and the claim walks it one priority level at a time, highest first: in each level it
-- reads exactly the due jobs in (run_at, id) order, so jobs scheduled for later never stand in the
-- way of due ones of a lower level (one index probe finds the next level). With every job at the
-- default priority 0 that is one level: the claim reads what it read before plus two index probes.
-- The cursor of 0110 (after_run_at, after_id) applies in its level (after_priority).
--
-- Limits: task types with a row in job_queue_task_limits (a limit, or a pause) are left out of that
-- walk and claimed afterwards, each by one claimer at a time (its limits row locked; a claimer that
-- finds a type's row locked skips the type: another runner is serving it): paused types not at
-- all; at most max_concurrency processing jobs of the type, at most max_concurrency_per_partition
-- per partition (the job's partition_key, else its payload's partition_by key; the first 1,000 due
-- jobs of the type are considered, in claim order), at most rate_limit starts in the last
-- rate_interval_ms (logged in job_queue_task_starts). With no row in job_queue_task_limits the claim
-- does not read it beyond one look at an empty table.

DROP INDEX IF EXISTS jobqueue.job_queue_due_idx;
CREATE INDEX job_queue_due_idx ON jobqueue.job_queue (priority, run_at, id) WHERE status = 'pending';

DROP FUNCTION IF EXISTS jobqueue.job_queue_claim(integer, interval, text, timestamptz, uuid);
DROP FUNCTION IF EXISTS jobqueue.job_queue_claim(integer, interval, text);

CREATE FUNCTION jobqueue.job_queue_claim(
  "limit"        integer,
  lease          interval    DEFAULT interval '5 minutes',
  runner_id      text        DEFAULT NULL,
  after_run_at   timestamptz DEFAULT NULL,
  after_id       uuid        DEFAULT NULL,
  after_priority integer     DEFAULT NULL)
RETURNS SETOF jobqueue.job_queue
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  n         integer  := LEAST(GREATEST(COALESCE(job_queue_claim."limit", 1), 0), 10000);
  who       text     := COALESCE(job_queue_claim.runner_id, 'sql:' || pg_backend_pid());
  lease_for interval := COALESCE(job_queue_claim.lease, interval '5 minutes');
  after_key uuid     := COALESCE(job_queue_claim.after_id, '00000000-0000-0000-0000-000000000000'::uuid);
  ids       uuid[]   := '{}';
  more      uuid[];
  held      text[];
  level     integer;
  lim       record;
  budget    bigint;
BEGIN
  IF n = 0 THEN
    RETURN;
  END IF;
  -- rescue only when some lease has expired: reads the lease index up to now() only
  IF EXISTS (SELECT 1 FROM job_queue q WHERE q.status = 'processing' AND q.locked_until < now()) THEN
    PERFORM job_queue_rescue_expired(100);
  END IF;
  IF EXISTS (SELECT 1 FROM job_queue_task_limits) THEN
    held := ARRAY(SELECT l.task_type FROM job_queue_task_limits l);
  END IF;

  -- task types without limits, one priority level at a time, highest first
  level := (SELECT max(q.priority) FROM job_queue q WHERE q.status = 'pending');
  WHILE level IS NOT NULL AND cardinality(ids) < n LOOP
    IF level = job_queue_claim.after_priority AND job_queue_claim.after_run_at IS NOT NULL THEN
      more := ARRAY(
        SELECT q.id FROM job_queue q
         WHERE q.status = 'pending' AND q.priority = level AND q.run_at <= now()
           AND (q.run_at, q.id) > (job_queue_claim.after_run_at, after_key)
           AND (held IS NULL OR q.task_type <> ALL (held))
         ORDER BY q.run_at, q.id
         LIMIT n - cardinality(ids)
           FOR UPDATE SKIP LOCKED);
      IF cardinality(ids) + cardinality(more) < n THEN
        -- too few after the cursor: the ones before it too (this scan meets the old entries)
        more := more || ARRAY(
          SELECT q.id FROM job_queue q
           WHERE q.status = 'pending' AND q.priority = level AND q.run_at <= now()
             AND (q.run_at, q.id) <= (job_queue_claim.after_run_at, after_key)
             AND (held IS NULL OR q.task_type <> ALL (held))
           ORDER BY q.run_at, q.id
           LIMIT n - cardinality(ids) - cardinality(more)
             FOR UPDATE SKIP LOCKED);
      END IF;
    ELSE
      more := ARRAY(
        SELECT q.id FROM job_queue q
         WHERE q.status = 'pending' AND q.priority = level AND q.run_at <= now()
           AND (held IS NULL OR q.task_type <> ALL (held))
         ORDER BY q.run_at, q.id
         LIMIT n - cardinality(ids)
           FOR UPDATE SKIP LOCKED);
    END IF;
    ids := ids || more;
    level := (SELECT max(q.priority) FROM job_queue q WHERE q.status = 'pending' AND q.priority < level);
  END LOOP;

  -- task types with limits or a pause: one claimer per type at a time, within the type's budgets
  IF held IS NOT NULL AND cardinality(ids) < n THEN
    FOR lim IN
      SELECT * FROM job_queue_task_limits l
       WHERE l.paused_until IS NULL OR l.paused_until <= now()
       ORDER BY l.task_type
         FOR UPDATE SKIP LOCKED
    LOOP
      EXIT WHEN cardinality(ids) >= n;
      budget := n - cardinality(ids);
      IF lim.max_concurrency IS NOT NULL THEN
        budget := LEAST(budget, lim.max_concurrency
                                - (SELECT count(*) FROM job_queue q WHERE q.status = 'processing' AND q.task_type = lim.task_type));
      END IF;
      IF lim.rate_limit IS NOT NULL THEN
        DELETE FROM job_queue_task_starts s
         WHERE s.task_type = lim.task_type AND s.started_at <= now() - lim.rate_interval_ms * interval '1 millisecond';
        budget := LEAST(budget, lim.rate_limit - (SELECT count(*) FROM job_queue_task_starts s WHERE s.task_type = lim.task_type));
      END IF;
      CONTINUE WHEN budget <= 0;

      IF lim.partition_by IS NULL THEN
        more := ARRAY(
          SELECT q.id FROM job_queue q
           WHERE q.status = 'pending' AND q.task_type = lim.task_type AND q.run_at <= now()
           ORDER BY q.priority DESC, q.run_at, q.id
           LIMIT budget
             FOR UPDATE SKIP LOCKED);
      ELSE
        more := ARRAY(
          WITH running AS (
            SELECT COALESCE(q.partition_key, q.payload ->> lim.partition_by) AS part, count(*) AS busy
              FROM job_queue q
             WHERE q.status = 'processing' AND q.task_type = lim.task_type
             GROUP BY 1
          ), candidates AS (
            SELECT q.id, q.priority, q.run_at, COALESCE(q.partition_key, q.payload ->> lim.partition_by) AS part
              FROM job_queue q
             WHERE q.status = 'pending' AND q.task_type = lim.task_type AND q.run_at <= now()
             ORDER BY q.priority DESC, q.run_at, q.id
             LIMIT 1000
          ), ranked AS (
            SELECT c.*, row_number() OVER (PARTITION BY c.part ORDER BY c.priority DESC, c.run_at, c.id) AS rn
              FROM candidates c
          )
          SELECT r.id FROM ranked r LEFT JOIN running u ON u.part IS NOT DISTINCT FROM r.part
           WHERE r.rn <= lim.max_concurrency_per_partition - COALESCE(u.busy, 0)
           ORDER BY r.priority DESC, r.run_at, r.id
           LIMIT budget);
        more := ARRAY(
          SELECT q.id FROM job_queue q
           WHERE q.id = ANY (more) AND q.status = 'pending'
           ORDER BY q.priority DESC, q.run_at, q.id
             FOR UPDATE SKIP LOCKED);
      END IF;

      IF lim.rate_limit IS NOT NULL AND cardinality(more) > 0 THEN
        INSERT INTO job_queue_task_starts (task_type, started_at) SELECT lim.task_type, now() FROM unnest(more);
      END IF;
      ids := ids || more;
    END LOOP;
  END IF;

  -- the due ids are locked: updated by primary key, so the plan never depends on the table's size
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
CALL jobqueue.grant_app_execute('job\_queue\_%');
