-- Claims up to `limit` (0..10,000) due jobs for runner_id (JobQueueStore.ClaimAsync): each becomes
-- processing, attempts + 1, locked by runner_id until now() + lease, started_at stamped; returns
-- the claimed rows; none while processing is paused (job_queue_settings.processing_enabled false),
-- read under the pause switch's shared lock (processing_switch_key): once a pause has committed, no
-- claim starts an attempt, and the pause waits for the claims that read "enabled". Order: priority (higher first), then (run_at, id). Rows are locked FOR UPDATE
-- SKIP LOCKED: concurrent claimers never wait for each other nor take the same job. Expired leases
-- are rescued first (job_queue_rescue_expired), only when some lease has expired. after_priority,
-- after_run_at, after_id: the caller's cursor (ClaimCursor): in that priority level the walk starts
-- after it, and reads before it too when too few jobs lie after it.
-- Task types without limits: a walk of job_queue_due_idx (pending, not held), one priority level at
-- a time. Task types with a row in job_queue_task_limits (a limit or a pause) are held: each is
-- served from its range of job_queue_held_due_idx by one claimer at a time (its limits row locked,
-- SKIP LOCKED), within its budget: none while paused, at most max_concurrency processing and
-- max_concurrency_per_partition per partition (among its first 1,000 due jobs), at most rate_limit
-- starts per rate_interval_ms (logged in job_queue_task_starts). A limited type's jobs are stamped
-- with clock_timestamp() taken after its concurrency count, and the same stamp is their rate log
-- entry.
-- The held flag must match the limits (see held_flag_key): a job of a limited type flagged false is
-- read by neither part (so no limit is exceeded) and a job flagged true on a type without limits is
-- not claimed either; both wait for job_queue_repair_held.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_claim("limit" integer, lease interval DEFAULT '00:05:00'::interval, runner_id text DEFAULT NULL::text, after_run_at timestamp with time zone DEFAULT NULL::timestamp with time zone, after_id uuid DEFAULT NULL::uuid, after_priority integer DEFAULT NULL::integer)
 RETURNS SETOF jobqueue.job_queue
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
#variable_conflict use_column
DECLARE
  n         integer  := LEAST(GREATEST(COALESCE(job_queue_claim."limit", 1), 0), 10000);
  who       text     := COALESCE(job_queue_claim.runner_id, 'sql:' || pg_backend_pid());
  lease_for interval := COALESCE(job_queue_claim.lease, interval '5 minutes');
  after_key uuid     := COALESCE(job_queue_claim.after_id, '00000000-0000-0000-0000-000000000000'::uuid);
  ids       uuid[]   := '{}';
  more      uuid[];
  limited_types text[];
  level     integer;
  lim       record;
  budget    bigint;
  taken     integer  := 0;
  stamp     timestamptz;
BEGIN
  IF n = 0 THEN
    RETURN;
  END IF;
  -- the pause switch, under its shared lock (held until this claim commits): see the header
  PERFORM pg_advisory_xact_lock_shared(processing_switch_key());
  IF NOT EXISTS (SELECT 1 FROM job_queue_settings s WHERE s.id AND s.processing_enabled) THEN
    RETURN;
  END IF;
  -- rescue only when some lease has expired: reads the lease index up to now() only
  IF EXISTS (SELECT 1 FROM job_queue q WHERE q.status = 'processing' AND q.locked_until < now()) THEN
    PERFORM job_queue_rescue_expired(100);
  END IF;
  IF EXISTS (SELECT 1 FROM job_queue_task_limits) THEN
    limited_types := ARRAY(SELECT l.task_type FROM job_queue_task_limits l);
  END IF;

  -- task types without limits, one priority level at a time, highest first: the jobs not held (the
  -- due index holds no other); a job whose flag is stale (false, of a limited type) is still filtered
  -- out here, so that no limit is exceeded (it waits for the repair: see the header)
  level := (SELECT max(q.priority) FROM job_queue q WHERE q.status = 'pending' AND NOT q.held);
  WHILE level IS NOT NULL AND cardinality(ids) < n LOOP
    IF level = job_queue_claim.after_priority AND job_queue_claim.after_run_at IS NOT NULL THEN
      more := ARRAY(
        SELECT q.id FROM job_queue q
         WHERE q.status = 'pending' AND NOT q.held AND q.priority = level AND q.run_at <= now()
           AND (q.run_at, q.id) > (job_queue_claim.after_run_at, after_key)
           AND (limited_types IS NULL OR q.task_type <> ALL (limited_types))
         ORDER BY q.run_at, q.id
         LIMIT n - cardinality(ids)
           FOR UPDATE SKIP LOCKED);
      IF cardinality(ids) + cardinality(more) < n THEN
        -- too few after the cursor: the ones before it too (this scan meets the old entries)
        more := more || ARRAY(
          SELECT q.id FROM job_queue q
           WHERE q.status = 'pending' AND NOT q.held AND q.priority = level AND q.run_at <= now()
             AND (q.run_at, q.id) <= (job_queue_claim.after_run_at, after_key)
             AND (limited_types IS NULL OR q.task_type <> ALL (limited_types))
           ORDER BY q.run_at, q.id
           LIMIT n - cardinality(ids) - cardinality(more)
             FOR UPDATE SKIP LOCKED);
      END IF;
    ELSE
      more := ARRAY(
        SELECT q.id FROM job_queue q
         WHERE q.status = 'pending' AND NOT q.held AND q.priority = level AND q.run_at <= now()
           AND (limited_types IS NULL OR q.task_type <> ALL (limited_types))
         ORDER BY q.run_at, q.id
         LIMIT n - cardinality(ids)
           FOR UPDATE SKIP LOCKED);
    END IF;
    ids := ids || more;
    level := (SELECT max(q.priority) FROM job_queue q WHERE q.status = 'pending' AND NOT q.held AND q.priority < level);
  END LOOP;

  -- task types with limits or a pause: one claimer per type at a time, within the type's budgets
  IF limited_types IS NOT NULL AND cardinality(ids) < n THEN
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

      -- the type's held jobs: one range of job_queue_held_due_idx, in its order (a job of this type
      -- flagged false is not read here, nor by the walk above: see the header)
      IF lim.partition_by IS NULL THEN
        more := ARRAY(
          SELECT q.id FROM job_queue q
           WHERE q.status = 'pending' AND q.held AND q.task_type = lim.task_type AND q.run_at <= now()
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
             WHERE q.status = 'pending' AND q.held AND q.task_type = lim.task_type AND q.run_at <= now()
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
$function$;
