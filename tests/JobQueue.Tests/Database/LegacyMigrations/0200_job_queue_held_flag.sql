-- The held flag: claims stay flat behind a held backlog (issue 15, flow control, item 3).
--
-- A job is "held" when its task type has a row in job_queue_task_limits (a limit or a pause, 0131).
-- The claim (0132, 0190) walked the due index for the types without limits and threw away, one by
-- one, every due job of a limited or paused type that sorted before the claimable ones: 17 ms a
-- claim behind 15,000 such jobs, 87 ms behind 100,000 (BENCHMARKS.md "Flow control"). Now a pending
-- job is in exactly one of two partial indexes:
--   job_queue_due_idx      (priority, run_at, id)                 WHERE pending AND NOT held
--   job_queue_held_due_idx (task_type, priority DESC, run_at, id) WHERE pending AND held
-- so an enqueue writes one index entry for the claim, as before this migration (a job of a type
-- without limits pays nothing for flow control). The walk for the types without limits reads the
-- first (its cost no longer depends on the held backlog); the loop over the limited types reads the
-- second, one range per type, stopping at its budget.
--
-- A job of a limited type flagged false is served by neither: the walk still leaves the limited
-- types out (so a limit is never exceeded) and the loop reads only the held range. A job flagged
-- true on a type without limits is never claimed either. So the flag must not go stale. It is
-- written where a job is made or comes back to pending (enqueue, enqueue_many, follow-ups, retry,
-- bulk retry) from the limits table, and rewritten for a type's pending and processing jobs when the
-- type's limits row appears or goes (set_task_limits, pause_task_type -> held_flag_sync; a processing
-- job keeps its flag when a snooze or a rescue puts it back).
--
-- The race, and the lock that closes it. Without a lock, an enqueue that reads "no limits row" while
-- a set_task_limits is inserting the row (not yet committed) flags its job false, and the flip's
-- rewrite of the type's jobs does not see the enqueue's job (not yet committed either): both commit,
-- the job is stale for good. The same with the row going (a job flagged true that no claim takes).
-- A transaction-level advisory lock per task type, key held_flag_key(type) =
-- hashtextextended('job_queue_held:' || type, 0) (a prefix no other advisory lock of the project
-- uses), orders them:
--   - every enqueue path takes it SHARED (pg_advisory_xact_lock_shared) for each task type it writes,
--     BEFORE the statement that reads the limits table: once per call (enqueue, enqueue_many, retry);
--     once per distinct type, in sorted order (bulk retry; follow-ups: job_queue_complete takes them
--     before it updates any job row, since held_flag_sync locks the type's processing rows, a lock
--     taken after them could deadlock with a flip). Enqueues never wait for each other.
--   - held_flag_sync takes it EXCLUSIVE (pg_advisory_xact_lock) BEFORE it reads the limits and
--     rewrites the flags, and only where the flag flips (the row was inserted or deleted: a limits
--     update that keeps the row takes no lock).
-- Both are held to commit, and in READ COMMITTED every statement of these plpgsql functions takes a
-- fresh snapshot. If the enqueue holds the lock first, the flip waits for the enqueue's commit and
-- its rewrite (a later statement) sees the job and flags it. If the flip holds it first, the enqueue
-- waits for the flip's commit and its read of the limits (a later statement) sees the committed row
-- (or its absence). The price: one shared advisory lock per enqueue call (an entry in the lock table
-- until commit: a transaction that enqueues N distinct types holds N), and a flip waits for the open
-- transactions that enqueued its type. A flip to held rewrites the type's pending jobs, which are
-- then in the due index (no index on their type: one scan of the pending jobs not held, per flip); a
-- flip to free reads the type's held range.
--
-- What the lock does not cover: writes that bypass these functions (an operator's INSERT or UPDATE),
-- callers in REPEATABLE READ or SERIALIZABLE (their snapshot predates the lock), and a job claimed or
-- snoozed while a flip rewrites its type (the rewrite passes over a row that changes status under
-- it). job_queue_repair_held(), run by the maintenance leader (HeldFlagRepairer), is the safety net;
-- it rewrites each stale type with held_flag_sync (under the same exclusive lock):
--   - true on a type without limits: the distinct task types of the held range (a skip scan of
--     job_queue_held_due_idx, one descent per type), each checked against the limits;
--   - processing jobs flagged against their type's limits: the lease index (the runners' slots);
--   - false on a limited type: the first 1,000 due jobs of each priority level in job_queue_due_idx
--     (the rows the claim's walk reads first at that level). The limited types' stale jobs stay at
--     the head of their level while the walk claims the free jobs around them, so one is found once
--     fewer than 1,000 free jobs of its level are due before it; until then it waits (it is never
--     claimed beyond a limit). Skipped when there is no limits row.

ALTER TABLE jobqueue.job_queue ADD COLUMN IF NOT EXISTS held boolean NOT NULL DEFAULT false;

UPDATE jobqueue.job_queue q SET held = true
 WHERE q.status IN ('pending', 'processing')
   AND q.task_type IN (SELECT l.task_type FROM jobqueue.job_queue_task_limits l);

DROP INDEX IF EXISTS jobqueue.job_queue_due_idx;
CREATE INDEX job_queue_due_idx ON jobqueue.job_queue (priority, run_at, id) WHERE status = 'pending' AND NOT held;
CREATE INDEX IF NOT EXISTS job_queue_held_due_idx
  ON jobqueue.job_queue (task_type, priority DESC, run_at, id) WHERE status = 'pending' AND held;

-- Internal helpers (not granted to the app) --------------------------------------------------------

-- The key of a task type's held-flag lock (see the header); a SQL-standard body, inlined.
CREATE OR REPLACE FUNCTION jobqueue.held_flag_key(task_type text)
RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN hashtextextended('job_queue_held:' || task_type, 0);

-- The flag of one type's pending and processing jobs made to match its limits row; the number
-- changed. Called where the row appeared or went, and by the repair for a type found stale. The
-- exclusive lock comes first; the limits are read after it, in a statement of their own.
CREATE OR REPLACE FUNCTION jobqueue.held_flag_sync(task_type text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
DECLARE
  is_held boolean;
  batch uuid[];
  n integer;
  total integer;
BEGIN
  PERFORM pg_advisory_xact_lock(held_flag_key(held_flag_sync.task_type));
  is_held := EXISTS (SELECT 1 FROM job_queue_task_limits l WHERE l.task_type = held_flag_sync.task_type);
  UPDATE job_queue q SET held = is_held
   WHERE q.status = 'processing' AND q.task_type = held_flag_sync.task_type AND q.held = NOT is_held;
  GET DIAGNOSTICS total = ROW_COUNT;
  IF is_held THEN
    -- the type's pending jobs are among the due index's (which has no type column): one scan
    UPDATE job_queue q SET held = true
     WHERE q.status = 'pending' AND NOT q.held AND q.task_type = held_flag_sync.task_type;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN total + n;
  END IF;
  -- the type's held range, in job_queue_held_due_idx's order so that the plan is a range of it
  -- whatever the planner estimates (an empty range costs one descent), in batches of 10,000
  LOOP
    batch := ARRAY(
      SELECT q.id FROM job_queue q
       WHERE q.status = 'pending' AND q.held AND q.task_type = held_flag_sync.task_type
       ORDER BY q.priority DESC, q.run_at, q.id
       LIMIT 10000);
    EXIT WHEN cardinality(batch) = 0;
    UPDATE job_queue q SET held = false WHERE q.id = ANY (batch) AND q.status = 'pending' AND q.held;
    GET DIAGNOSTICS n = ROW_COUNT;
    total := total + n;
    EXIT WHEN cardinality(batch) < 10000;
  END LOOP;
  RETURN total;
END
$$;

-- The repair (see the header): each task type with a stale flag found cheaply, then rewritten by
-- held_flag_sync in sorted order; the number of jobs changed (0 when nothing was stale).
CREATE OR REPLACE FUNCTION jobqueue.job_queue_repair_held()
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
DECLARE
  limited text[] := ARRAY(SELECT l.task_type FROM job_queue_task_limits l);
  stale text[];
  level integer;
  t text;
  total integer := 0;
BEGIN
  -- held, on a type without limits: the types of the held range, one descent each
  stale := ARRAY(
    WITH RECURSIVE types AS (
      (SELECT q.task_type FROM job_queue q WHERE q.status = 'pending' AND q.held ORDER BY q.task_type LIMIT 1)
      UNION ALL
      SELECT (SELECT q.task_type FROM job_queue q
               WHERE q.status = 'pending' AND q.held AND q.task_type > types.task_type
               ORDER BY q.task_type LIMIT 1)
        FROM types
       WHERE types.task_type IS NOT NULL)
    SELECT types.task_type FROM types WHERE types.task_type IS NOT NULL AND types.task_type <> ALL (limited));
  -- processing, flagged against the limits
  stale := stale || ARRAY(
    SELECT DISTINCT q.task_type FROM job_queue q
     WHERE q.status = 'processing' AND q.held <> (q.task_type = ANY (limited)));
  -- not held, on a limited type: the first 1,000 due jobs of each priority level (the walk's head)
  IF cardinality(limited) > 0 THEN
    level := (SELECT max(q.priority) FROM job_queue q WHERE q.status = 'pending' AND NOT q.held);
    WHILE level IS NOT NULL LOOP
      stale := stale || ARRAY(
        SELECT DISTINCT h.task_type FROM (
          SELECT q.task_type FROM job_queue q
           WHERE q.status = 'pending' AND NOT q.held AND q.priority = level AND q.run_at <= now()
           ORDER BY q.run_at, q.id
           LIMIT 1000) h
         WHERE h.task_type = ANY (limited));
      level := (SELECT max(q.priority) FROM job_queue q WHERE q.status = 'pending' AND NOT q.held AND q.priority < level);
    END LOOP;
  END IF;
  FOR t IN SELECT DISTINCT x.t FROM unnest(stale) AS x(t) ORDER BY 1 LOOP
    total := total + held_flag_sync(t);
  END LOOP;
  RETURN total;
END
$$;

-- 0131's limit writes, + the flag of the type's jobs when its row appears or disappears ---------
-- Whether the row was there before is the upsert's own report (xmax = 0: the row version was
-- inserted; an update under ON CONFLICT leaves the row's locker in xmax), read under the row lock the
-- upsert takes, so that two writers of one type cannot both miss a flip; the flags are synced only
-- when the row appeared (inserted, not deleted) or went (updated, then deleted).
CREATE OR REPLACE FUNCTION jobqueue.job_queue_set_task_limits(
  task_type                     text,
  max_concurrency               integer,
  partition_by                  text,
  max_concurrency_per_partition integer,
  rate_limit                    integer,
  rate_interval_ms              bigint,
  source                        text DEFAULT 'api',
  updated_by                    text DEFAULT NULL)
RETURNS SETOF jobqueue.job_queue_task_limits
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  inserted boolean;
  deleted integer;
BEGIN
  IF job_queue_set_task_limits.source = 'settings'
     AND EXISTS (SELECT FROM job_queue_task_limits l WHERE l.task_type = job_queue_set_task_limits.task_type AND l.source = 'api') THEN
    -- an operator's limits win over the settings' defaults
    RETURN QUERY SELECT * FROM job_queue_task_limits l WHERE l.task_type = job_queue_set_task_limits.task_type;
    RETURN;
  END IF;
  INSERT INTO job_queue_task_limits AS l (task_type, max_concurrency, partition_by, max_concurrency_per_partition,
                                          rate_limit, rate_interval_ms, source, updated_by, updated_at)
  VALUES (job_queue_set_task_limits.task_type, job_queue_set_task_limits.max_concurrency, job_queue_set_task_limits.partition_by,
          job_queue_set_task_limits.max_concurrency_per_partition, job_queue_set_task_limits.rate_limit,
          job_queue_set_task_limits.rate_interval_ms, job_queue_set_task_limits.source, job_queue_set_task_limits.updated_by, now())
  ON CONFLICT (task_type) DO UPDATE
     SET max_concurrency = EXCLUDED.max_concurrency, partition_by = EXCLUDED.partition_by,
         max_concurrency_per_partition = EXCLUDED.max_concurrency_per_partition, rate_limit = EXCLUDED.rate_limit,
         rate_interval_ms = EXCLUDED.rate_interval_ms, source = EXCLUDED.source, updated_by = EXCLUDED.updated_by,
         updated_at = now()
  RETURNING (l.xmax = 0) INTO inserted;
  DELETE FROM job_queue_task_limits l
   WHERE l.task_type = job_queue_set_task_limits.task_type AND l.max_concurrency IS NULL AND l.partition_by IS NULL
     AND l.rate_limit IS NULL AND (l.paused_until IS NULL OR l.paused_until <= now());
  GET DIAGNOSTICS deleted = ROW_COUNT;
  IF job_queue_set_task_limits.rate_limit IS NULL THEN
    DELETE FROM job_queue_task_starts s WHERE s.task_type = job_queue_set_task_limits.task_type;
  END IF;
  IF inserted = (deleted = 0) THEN
    PERFORM held_flag_sync(job_queue_set_task_limits.task_type);
  END IF;
  RETURN QUERY SELECT * FROM job_queue_task_limits l WHERE l.task_type = job_queue_set_task_limits.task_type;
END
$$;

CREATE OR REPLACE FUNCTION jobqueue.job_queue_pause_task_type(
  task_type text, until timestamptz, reason text DEFAULT NULL, source text DEFAULT 'api', updated_by text DEFAULT NULL)
RETURNS SETOF jobqueue.job_queue_task_limits
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  inserted boolean;
  deleted integer;
BEGIN
  INSERT INTO job_queue_task_limits AS l (task_type, paused_until, paused_reason, source, updated_by, updated_at)
  VALUES (job_queue_pause_task_type.task_type, job_queue_pause_task_type.until, left(job_queue_pause_task_type.reason, 500),
          job_queue_pause_task_type.source, job_queue_pause_task_type.updated_by, now())
  ON CONFLICT (task_type) DO UPDATE
     SET paused_until  = CASE WHEN EXCLUDED.source = 'handler' AND l.paused_until > EXCLUDED.paused_until
                              THEN l.paused_until ELSE EXCLUDED.paused_until END,
         paused_reason = CASE WHEN EXCLUDED.source = 'handler' AND l.paused_until > EXCLUDED.paused_until
                              THEN l.paused_reason ELSE EXCLUDED.paused_reason END,
         source        = CASE WHEN l.source = 'handler' OR EXCLUDED.source <> 'handler' THEN EXCLUDED.source ELSE l.source END,
         updated_by    = EXCLUDED.updated_by,
         updated_at    = now()
  RETURNING (l.xmax = 0) INTO inserted;
  DELETE FROM job_queue_task_limits l
   WHERE l.task_type = job_queue_pause_task_type.task_type AND l.max_concurrency IS NULL AND l.partition_by IS NULL
     AND l.rate_limit IS NULL AND (l.paused_until IS NULL OR l.paused_until <= now());
  GET DIAGNOSTICS deleted = ROW_COUNT;
  IF inserted = (deleted = 0) THEN
    PERFORM held_flag_sync(job_queue_pause_task_type.task_type);
  END IF;
  RETURN QUERY SELECT * FROM job_queue_task_limits l WHERE l.task_type = job_queue_pause_task_type.task_type;
END
$$;


-- 0150's enqueues, + the flag (the type's shared lock, then the limits read in the insert) ----------
CREATE OR REPLACE FUNCTION jobqueue.job_queue_enqueue(
  task_type     text,
  payload       jsonb       DEFAULT '{}'::jsonb,
  run_at        timestamptz DEFAULT now(),
  max_attempts  integer     DEFAULT 3,
  dedupe_key    text        DEFAULT NULL,
  triggered_by  text        DEFAULT NULL,
  request_id    text        DEFAULT NULL,
  priority      integer     DEFAULT 0,
  partition_key text        DEFAULT NULL,
  trace_parent  text        DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  new_id uuid;
  problem text;
BEGIN
  IF job_queue_enqueue.task_type IS NULL OR length(job_queue_enqueue.task_type) NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'task_type must be 1 to 100 characters' USING ERRCODE = '22023', COLUMN = 'taskType';
  END IF;
  IF job_queue_enqueue.payload IS NOT NULL AND jsonb_typeof(job_queue_enqueue.payload) <> 'object' THEN
    RAISE EXCEPTION 'payload must be a JSON object' USING ERRCODE = '22023', COLUMN = 'payload';
  END IF;
  problem := jobqueue.payload_limit_problem(job_queue_enqueue.payload);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'payload is %', problem USING ERRCODE = '22023', COLUMN = 'payload';
  END IF;
  IF COALESCE(job_queue_enqueue.max_attempts, 3) NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'max_attempts must be between 1 and 100' USING ERRCODE = '22023', COLUMN = 'maxAttempts';
  END IF;
  IF COALESCE(job_queue_enqueue.priority, 0) NOT BETWEEN -100 AND 100 THEN
    RAISE EXCEPTION 'priority must be between -100 and 100' USING ERRCODE = '22023', COLUMN = 'priority';
  END IF;

  -- the type's shared lock (a simple expression: no query), then the limits read by the insert itself
  PERFORM pg_advisory_xact_lock_shared(held_flag_key(job_queue_enqueue.task_type));
  LOOP
    INSERT INTO job_queue AS j (task_type, payload, run_at, max_attempts, dedupe_key, triggered_by, request_id,
                                priority, partition_key, trace_parent, held)
    VALUES (job_queue_enqueue.task_type,
            COALESCE(job_queue_enqueue.payload, '{}'::jsonb),
            COALESCE(job_queue_enqueue.run_at, now()),
            COALESCE(job_queue_enqueue.max_attempts, 3),
            job_queue_enqueue.dedupe_key,
            job_queue_enqueue.triggered_by,
            job_queue_enqueue.request_id,
            COALESCE(job_queue_enqueue.priority, 0),
            job_queue_enqueue.partition_key,
            job_queue_enqueue.trace_parent,
            EXISTS (SELECT 1 FROM job_queue_task_limits l WHERE l.task_type = job_queue_enqueue.task_type))
    ON CONFLICT (task_type, dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'processing')
    DO NOTHING
    RETURNING j.id INTO new_id;
    IF new_id IS NOT NULL THEN
      RETURN new_id;
    END IF;
    -- a live duplicate exists: return it (loop if it finished in between)
    SELECT j.id INTO new_id FROM job_queue j
     WHERE j.task_type = job_queue_enqueue.task_type
       AND j.dedupe_key = job_queue_enqueue.dedupe_key
       AND j.status IN ('pending', 'processing');
    IF new_id IS NOT NULL THEN
      RETURN new_id;
    END IF;
  END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION jobqueue.job_queue_enqueue_many(
  task_type    text,
  payloads     jsonb[],
  run_at       timestamptz DEFAULT now(),
  max_attempts integer     DEFAULT 3,
  triggered_by text        DEFAULT NULL,
  priority     integer     DEFAULT 0,
  trace_parent text        DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  n integer;
  bad record;
BEGIN
  IF job_queue_enqueue_many.task_type IS NULL OR length(job_queue_enqueue_many.task_type) NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'task_type must be 1 to 100 characters' USING ERRCODE = '22023', COLUMN = 'taskType';
  END IF;
  IF COALESCE(job_queue_enqueue_many.priority, 0) NOT BETWEEN -100 AND 100 THEN
    RAISE EXCEPTION 'priority must be between -100 and 100' USING ERRCODE = '22023', COLUMN = 'priority';
  END IF;
  SELECT i, COALESCE(jobqueue.payload_limit_problem(p), 'not a JSON object') AS problem INTO bad
    FROM unnest(job_queue_enqueue_many.payloads) WITH ORDINALITY AS x(p, i)
   WHERE p IS NOT NULL AND (jsonb_typeof(p) <> 'object' OR jobqueue.payload_limit_problem(p) IS NOT NULL)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'payload % is %', bad.i, bad.problem USING ERRCODE = '22023', COLUMN = 'payloads';
  END IF;
  -- one look-up of the limits for the whole batch, after the type's shared lock
  PERFORM pg_advisory_xact_lock_shared(held_flag_key(job_queue_enqueue_many.task_type));
  INSERT INTO job_queue (task_type, payload, run_at, max_attempts, triggered_by, priority, trace_parent, held)
  SELECT job_queue_enqueue_many.task_type, COALESCE(p, '{}'::jsonb),
         COALESCE(job_queue_enqueue_many.run_at, now()), COALESCE(job_queue_enqueue_many.max_attempts, 3),
         job_queue_enqueue_many.triggered_by, COALESCE(job_queue_enqueue_many.priority, 0), job_queue_enqueue_many.trace_parent,
         EXISTS (SELECT 1 FROM job_queue_task_limits l WHERE l.task_type = job_queue_enqueue_many.task_type)
    FROM unnest(job_queue_enqueue_many.payloads) AS p;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;


-- 0170's finish, + the follow-up types' shared locks taken first -----------------------------------
CREATE OR REPLACE FUNCTION jobqueue.job_queue_complete(runner_id text, results jsonb)
RETURNS TABLE (id uuid, status text, attempts integer, last_error text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  follow_up_ids uuid[];
  follow_up_type text;
BEGIN
  -- the shared held-flag lock of each follow-up's task type (sorted) before any job row is touched:
  -- a flip of that type (held_flag_sync, which locks the type's processing rows) and this finish
  -- then wait for each other in one order only
  IF job_queue_complete.results @> '[{"succeeded": true, "followUp": true}]' THEN
    follow_up_ids := ARRAY(
      SELECT (x ->> 'id')::uuid
        FROM jsonb_array_elements(job_queue_complete.results) x
       WHERE x @> '{"succeeded": true, "followUp": true}');
    FOR follow_up_type IN
      SELECT DISTINCT j.payload -> 'then' ->> 'taskType' FROM job_queue j
       WHERE j.id = ANY (follow_up_ids) AND jsonb_typeof(j.payload -> 'then' -> 'taskType') = 'string'
       ORDER BY 1
    LOOP
      PERFORM pg_advisory_xact_lock_shared(held_flag_key(follow_up_type));
    END LOOP;
  END IF;

  RETURN QUERY
  WITH r AS MATERIALIZED (
    SELECT x.id, COALESCE(x.succeeded, false) AS succeeded, x.output, x.error,
           x."retryInMs" AS retry_in_ms, x."durationMs" AS duration_ms,
           COALESCE(x.snooze, false) AND NOT COALESCE(x.succeeded, false) AS snooze
      FROM jsonb_to_recordset(job_queue_complete.results)
           AS x(id uuid, succeeded boolean, output jsonb, error text, "retryInMs" bigint, "durationMs" integer, snooze boolean)
  ), upd AS (
    UPDATE job_queue j
       SET status       = CASE WHEN r.succeeded THEN 'succeeded'
                               WHEN r.snooze THEN 'pending'
                               WHEN r.retry_in_ms IS NOT NULL AND j.attempts < j.max_attempts THEN 'pending'
                               ELSE 'failed' END,
           attempts     = CASE WHEN r.snooze THEN GREATEST(j.attempts - 1, 0) ELSE j.attempts END,
           output       = CASE WHEN NOT r.succeeded THEN j.output
                               WHEN r.output IS NULL OR pg_column_size(r.output) < 256 THEN r.output
                               WHEN jobqueue.payload_limit_problem(r.output) IS NULL THEN r.output
                               ELSE jsonb_build_object('discarded', 'the output was ' || jobqueue.payload_limit_problem(r.output)) END,
           last_error   = CASE WHEN r.succeeded THEN NULL ELSE left(COALESCE(r.error, 'failed'), 4000) END,
           run_at       = CASE WHEN r.snooze THEN now() + COALESCE(r.retry_in_ms, 0) * interval '1 millisecond'
                               WHEN NOT r.succeeded AND r.retry_in_ms IS NOT NULL AND j.attempts < j.max_attempts
                               THEN now() + r.retry_in_ms * interval '1 millisecond'
                               ELSE j.run_at END,
           completed_at = CASE WHEN r.snooze THEN NULL
                               WHEN r.succeeded OR r.retry_in_ms IS NULL OR j.attempts >= j.max_attempts THEN now() END,
           locked_by    = NULL,
           locked_until = NULL,
           updated_at   = now()
      FROM r
     WHERE j.id = r.id
       -- rows by primary key (never a scan of every processing job); "IS TRUE" keeps the status
       -- test a filter so that the planner does not pick the status index instead
       AND j.id = ANY (ARRAY(SELECT r2.id FROM r r2))
       AND j.locked_by = job_queue_complete.runner_id
       AND (j.status = 'processing') IS TRUE
    RETURNING j.id, j.status, j.attempts, j.last_error, j.started_at
  ), hist AS (
    INSERT INTO job_queue_attempts (job_id, attempt, runner_id, started_at, outcome, error, duration_ms)
    SELECT u.id, CASE WHEN r.snooze THEN u.attempts + 1 ELSE u.attempts END, job_queue_complete.runner_id,
           COALESCE(u.started_at, now()),
           CASE WHEN r.snooze THEN 'snoozed'
                WHEN u.status = 'succeeded' THEN 'succeeded' WHEN u.status = 'pending' THEN 'retry' ELSE 'failed' END,
           u.last_error,
           COALESCE(r.duration_ms,
                    GREATEST(0, (extract(epoch FROM now() - COALESCE(u.started_at, now())) * 1000)::integer))
      FROM upd u JOIN r ON r.id = u.id
  )
  SELECT u.id, u.status, u.attempts, u.last_error FROM upd u;

  IF follow_up_ids IS NOT NULL THEN
    PERFORM jobqueue.job_queue_enqueue_follow_ups(follow_up_ids);
  END IF;
END
$$;

-- 0170's follow-ups, + the flag (read after the shared locks its caller, job_queue_complete, took for
-- every follow-up type before it touched a job row) ------------------------------------------------
CREATE OR REPLACE FUNCTION jobqueue.job_queue_enqueue_follow_ups(job_ids uuid[])
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
DECLARE
  n integer;
  limited text[] := ARRAY(SELECT l.task_type FROM job_queue_task_limits l);
BEGIN
  INSERT INTO job_queue AS q (task_type, payload, run_at, max_attempts, dedupe_key, triggered_by, request_id,
                              priority, partition_key, trace_parent, held)
  SELECT f.task_type, f.payload, now() + make_interval(secs => f.delay_seconds), f.max_attempts, f.dedupe_key,
         'follow-up:' || j.id, j.request_id, f.priority, f.partition_key, j.trace_parent, f.task_type = ANY (limited)
    FROM job_queue j
   CROSS JOIN LATERAL (
     -- every value guarded by its JSON type first (CASE evaluates in order), so that no cast can fail
     SELECT CASE WHEN jsonb_typeof(t -> 'taskType') = 'string' THEN t ->> 'taskType' END AS task_type,
            CASE WHEN t -> 'payload' IS NULL OR jsonb_typeof(t -> 'payload') = 'null' THEN '{}'::jsonb
                 WHEN jsonb_typeof(t -> 'payload') = 'object' THEN t -> 'payload' END AS payload,
            CASE WHEN t -> 'delaySeconds' IS NULL OR jsonb_typeof(t -> 'delaySeconds') = 'null' THEN 0
                 WHEN jsonb_typeof(t -> 'delaySeconds') = 'number'
                 THEN LEAST(GREATEST((t ->> 'delaySeconds')::numeric, 0), 31622400)::double precision END AS delay_seconds,
            CASE WHEN t -> 'maxAttempts' IS NULL OR jsonb_typeof(t -> 'maxAttempts') = 'null' THEN 3
                 WHEN jsonb_typeof(t -> 'maxAttempts') = 'number'
                 THEN CASE WHEN (t ->> 'maxAttempts')::numeric BETWEEN 1 AND 100
                           THEN (t ->> 'maxAttempts')::numeric::integer END END AS max_attempts,
            CASE WHEN t -> 'priority' IS NULL OR jsonb_typeof(t -> 'priority') = 'null' THEN 0
                 WHEN jsonb_typeof(t -> 'priority') = 'number'
                 THEN CASE WHEN (t ->> 'priority')::numeric BETWEEN -100 AND 100
                            AND (t ->> 'priority')::numeric = trunc((t ->> 'priority')::numeric)
                           THEN (t ->> 'priority')::numeric::integer END END AS priority,
            CASE WHEN jsonb_typeof(t -> 'dedupeKey') = 'string' THEN t ->> 'dedupeKey' END AS dedupe_key,
            t -> 'dedupeKey' IS NULL OR jsonb_typeof(t -> 'dedupeKey') = 'null'
              OR (jsonb_typeof(t -> 'dedupeKey') = 'string' AND length(t ->> 'dedupeKey') BETWEEN 1 AND 200) AS dedupe_ok,
            CASE WHEN jsonb_typeof(t -> 'partitionKey') = 'string' THEN t ->> 'partitionKey' END AS partition_key,
            t -> 'partitionKey' IS NULL OR jsonb_typeof(t -> 'partitionKey') = 'null'
              OR (jsonb_typeof(t -> 'partitionKey') = 'string' AND length(t ->> 'partitionKey') BETWEEN 1 AND 200) AS partition_ok
       FROM (SELECT j.payload -> 'then' AS t) s
      WHERE jsonb_typeof(s.t) = 'object') f
   WHERE j.id = ANY (job_ids)
     AND j.status = 'succeeded' AND j.completed_at = now()
     AND length(f.task_type) BETWEEN 1 AND 100
     AND f.payload IS NOT NULL AND f.delay_seconds IS NOT NULL AND f.max_attempts IS NOT NULL AND f.dedupe_ok
     AND f.priority IS NOT NULL AND f.partition_ok
  ON CONFLICT (task_type, dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'processing')
  DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;


-- 0002's retry and 0143's bulk retry (a failed or cancelled job back to pending), + the flag ------
CREATE OR REPLACE FUNCTION jobqueue.job_queue_retry(id uuid, actor text DEFAULT NULL)
RETURNS TABLE (outcome text, status text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  current text;
  retried_type text;
BEGIN
  SELECT q.status, q.task_type INTO current, retried_type FROM job_queue q WHERE q.id = job_queue_retry.id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text; RETURN;
  END IF;
  IF current NOT IN ('failed', 'cancelled') THEN
    RETURN QUERY SELECT 'invalid_state'::text, current; RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock_shared(held_flag_key(retried_type));
  BEGIN
    UPDATE job_queue q
       SET status = 'pending', attempts = 0, run_at = now(), completed_at = NULL, output = NULL,
           triggered_by = COALESCE(job_queue_retry.actor, q.triggered_by), updated_at = now(),
           held = q.task_type IN (SELECT l.task_type FROM job_queue_task_limits l)
     WHERE q.id = job_queue_retry.id;
  EXCEPTION WHEN unique_violation THEN
    -- a live job with the same dedupe key exists: retrying would run the work twice
    RETURN QUERY SELECT 'invalid_state'::text, current; RETURN;
  END;
  RETURN QUERY SELECT 'ok'::text, 'pending'::text;
END
$$;

CREATE OR REPLACE FUNCTION jobqueue.job_queue_bulk_retry(
  status text, task_type text, created_after timestamptz, created_before timestamptz, payload_text text,
  dry_run boolean DEFAULT true, max_jobs integer DEFAULT 10000, actor text DEFAULT NULL)
RETURNS TABLE (matched bigint, changed integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
  clause text := jobqueue.job_filter_clause(status IS NOT NULL, task_type IS NOT NULL, created_after IS NOT NULL,
                                         created_before IS NOT NULL, payload_text IS NOT NULL)
                 || ' AND j.status IN (''failed'', ''cancelled'')';
  pattern text := jobqueue.like_pattern(payload_text);
  cap integer := LEAST(GREATEST(COALESCE(max_jobs, 10000), 1), 100000);
  n_matched bigint;
  n_changed integer := 0;
  retry_sql text;
  retried_types text[];
  retried_type text;
BEGIN
  IF COALESCE(dry_run, true) THEN
    EXECUTE 'SELECT count(*) FROM job_queue j WHERE true' || clause
      INTO n_matched USING status, task_type, created_after, created_before, pattern;
  ELSE
    EXECUTE 'SELECT count(*), COALESCE(array_agg(DISTINCT j.task_type ORDER BY j.task_type), ''{}'') FROM job_queue j WHERE true' || clause
      INTO n_matched, retried_types USING status, task_type, created_after, created_before, pattern;
  END IF;
  IF NOT COALESCE(dry_run, true) AND n_matched > 0 THEN
    -- the shared lock of each type retried, sorted, before the statement that reads the limits; a job
    -- of another type (failed since the count) is left for the next call
    FOREACH retried_type IN ARRAY retried_types LOOP
      PERFORM pg_advisory_xact_lock_shared(held_flag_key(retried_type));
    END LOOP;
    retry_sql :=
      'WITH picked AS (
         SELECT j.id, j.task_type, j.dedupe_key FROM job_queue j WHERE true' || clause || ' AND j.task_type = ANY ($9)
          ORDER BY j.id LIMIT $6 FOR UPDATE SKIP LOCKED
       ), eligible AS (
         SELECT p.id FROM picked p WHERE p.dedupe_key IS NULL
         UNION ALL
         (SELECT DISTINCT ON (p.task_type, p.dedupe_key) p.id FROM picked p
           WHERE p.dedupe_key IS NOT NULL AND $8
             AND NOT EXISTS (SELECT 1 FROM job_queue l WHERE l.task_type = p.task_type AND l.dedupe_key = p.dedupe_key
                                                          AND l.status IN (''pending'', ''processing''))
           ORDER BY p.task_type, p.dedupe_key, p.id DESC)
       ), done AS (
         UPDATE job_queue q
            SET status = ''pending'', attempts = 0, run_at = now(), completed_at = NULL, output = NULL,
                triggered_by = COALESCE($7, q.triggered_by), updated_at = now(),
                held = q.task_type IN (SELECT l.task_type FROM job_queue_task_limits l)
           FROM eligible e WHERE q.id = e.id
         RETURNING 1
       )
       SELECT count(*) FROM done';
    BEGIN
      EXECUTE retry_sql INTO n_changed USING status, task_type, created_after, created_before, pattern, cap, actor, true, retried_types;
    EXCEPTION WHEN unique_violation THEN
      -- a job with the same dedupe key was enqueued meanwhile: retry only the jobs without a key
      EXECUTE retry_sql INTO n_changed USING status, task_type, created_after, created_before, pattern, cap, actor, false, retried_types;
    END;
  END IF;
  RETURN QUERY SELECT n_matched, n_changed;
END
$$;


-- The claim of 0190 (same arguments, stamps and rate log), reading the indexes above: the walk for
-- the types without limits and its priority levels read only jobs not held (job_queue_due_idx), the
-- loop over the limited types only held ones (job_queue_held_due_idx).
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
$$;

CALL jobqueue.lock_down();
CALL jobqueue.grant_app_execute('job\_queue\_enqueue');
CALL jobqueue.grant_app_execute('job\_queue\_enqueue\_many');
CALL jobqueue.grant_app_execute('job\_queue\_complete');
CALL jobqueue.grant_app_execute('job\_queue\_claim');
CALL jobqueue.grant_app_execute('job\_queue\_set\_task\_limits');
CALL jobqueue.grant_app_execute('job\_queue\_pause\_task\_type');
CALL jobqueue.grant_app_execute('job\_queue\_retry');
CALL jobqueue.grant_app_execute('job\_queue\_bulk\_retry');
CALL jobqueue.grant_app_execute('job\_queue\_repair\_held');
