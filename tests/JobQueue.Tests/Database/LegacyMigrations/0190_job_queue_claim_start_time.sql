-- The claim of 0132, but for the time it stamps on a claimed job. started_at (and so its attempt
-- record's start) was now(), the claim transaction's start. The concurrency limit counts a type's
-- processing jobs after the finishing transactions that freed the slots committed, so a claim that
-- began before such a commit recorded a start earlier than the freed job's recorded finish: attempt
-- records of short jobs showed more overlap than the claim allowed (6 for a limit of 3, BENCHMARKS.md
-- "Flow control"). Now a job of a limited type is stamped with clock_timestamp() taken after the
-- type's concurrency count, under the type's lock, and the same stamp is its entry in the rate log
-- (so the attempt records' starts per window are exactly what the rate limit counted); other jobs
-- with clock_timestamp() at their update.

CREATE OR REPLACE FUNCTION jobqueue.job_queue_claim(
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
  taken     integer  := 0;
  stamp     timestamptz;
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
      EXIT WHEN cardinality(ids) + taken >= n;
      budget := n - cardinality(ids) - taken;
      IF lim.max_concurrency IS NOT NULL THEN
        budget := LEAST(budget, lim.max_concurrency
                                - (SELECT count(*) FROM job_queue q WHERE q.status = 'processing' AND q.task_type = lim.task_type));
      END IF;
      -- after the concurrency count (which sees every finish committed before it): the start of this
      -- type's jobs, and the time its rate window ends at (starts are stamped under the type's lock)
      stamp := clock_timestamp();
      IF lim.rate_limit IS NOT NULL THEN
        DELETE FROM job_queue_task_starts s
         WHERE s.task_type = lim.task_type AND s.started_at <= stamp - lim.rate_interval_ms * interval '1 millisecond';
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

      CONTINUE WHEN cardinality(more) = 0;
      IF lim.rate_limit IS NOT NULL THEN
        INSERT INTO job_queue_task_starts (task_type, started_at) SELECT lim.task_type, stamp FROM unnest(more);
      END IF;
      RETURN QUERY
      UPDATE job_queue j
         SET status       = 'processing',
             attempts     = j.attempts + 1,
             locked_by    = who,
             locked_until = now() + lease_for,
             started_at   = stamp,
             updated_at   = now()
       WHERE j.id = ANY (more)
      RETURNING j.*;
      taken := taken + cardinality(more);
    END LOOP;
  END IF;

  -- the due ids of types without limits are locked: updated by primary key, so the plan never depends on the table's size
  RETURN QUERY
  UPDATE job_queue j
     SET status       = 'processing',
         attempts     = j.attempts + 1,
         locked_by    = who,
         locked_until = now() + lease_for,
         started_at   = clock_timestamp(),
         updated_at   = now()
   WHERE j.id = ANY (ids)
  RETURNING j.*;
END
$$;

CALL jobqueue.lock_down();
CALL jobqueue.grant_app_execute('job\_queue\_%');
