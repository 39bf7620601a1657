-- Flow control, the objects: per task type limits (global concurrency, concurrency per partition,
-- starts per interval) and pauses, priorities on jobs, and an explicit partition key. The claim that
-- enforces them is 0132.
--
-- job_queue_task_limits: one row per task type with any limit or pause. Concurrency counts the
-- type's processing jobs (a lease that expired still counts until it is rescued: the limit is never
-- exceeded by a job that might still be running). A partition is the job's partition_key, or else
-- the text of the payload's top-level key partition_by (e.g. coachId): max_concurrency_per_partition
-- jobs of one partition at a time. The rate limit counts the type's starts in the last
-- rate_interval_ms across all runners (job_queue_task_starts, kept only for rate-limited types and
-- only as long as the window). paused_until holds a type back (a handler that got a 429 with
-- Retry-After, or an operator); the limits stay as they were.
-- source says who set the row: 'api' (an operator), 'settings' (TaskLimits:<type>:* defaults,
-- written at start unless an operator set the type), 'handler' (a pause only).

CREATE TABLE IF NOT EXISTS jobqueue.job_queue_task_limits (
  task_type                     text        PRIMARY KEY CHECK (length(task_type) BETWEEN 1 AND 100),
  max_concurrency               integer     CHECK (max_concurrency BETWEEN 1 AND 100000),
  partition_by                  text        CHECK (partition_by ~ '^[A-Za-z0-9_]{1,64}$'),
  max_concurrency_per_partition integer     CHECK (max_concurrency_per_partition BETWEEN 1 AND 100000),
  rate_limit                    integer     CHECK (rate_limit BETWEEN 1 AND 1000000),
  rate_interval_ms              bigint      CHECK (rate_interval_ms BETWEEN 1 AND 86400000),
  paused_until                  timestamptz,
  paused_reason                 text        CHECK (length(paused_reason) <= 500),
  source                        text        NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'settings', 'handler')),
  updated_by                    text,
  updated_at                    timestamptz NOT NULL DEFAULT now(),
  CHECK ((max_concurrency_per_partition IS NULL) = (partition_by IS NULL)),
  CHECK ((rate_limit IS NULL) = (rate_interval_ms IS NULL))
);

CREATE TABLE IF NOT EXISTS jobqueue.job_queue_task_starts (
  task_type  text        NOT NULL,
  started_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS job_queue_task_starts_idx ON jobqueue.job_queue_task_starts (task_type, started_at);

-- priorities: higher runs first; a column with a constant default costs nothing to add
ALTER TABLE jobqueue.job_queue
  ADD COLUMN IF NOT EXISTS priority      integer NOT NULL DEFAULT 0 CHECK (priority BETWEEN -100 AND 100),
  ADD COLUMN IF NOT EXISTS partition_key text    CHECK (partition_key IS NULL OR length(partition_key) BETWEEN 1 AND 200);

-- operator / settings writes ----------------------------------------------------------------------
-- NULL arguments clear that limit. Returns the row (or nothing when every field is empty: the row
-- is deleted and the type runs freely).
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
         updated_at = now();
  DELETE FROM job_queue_task_limits l
   WHERE l.task_type = job_queue_set_task_limits.task_type AND l.max_concurrency IS NULL AND l.partition_by IS NULL
     AND l.rate_limit IS NULL AND (l.paused_until IS NULL OR l.paused_until <= now());
  IF job_queue_set_task_limits.rate_limit IS NULL THEN
    DELETE FROM job_queue_task_starts s WHERE s.task_type = job_queue_set_task_limits.task_type;
  END IF;
  RETURN QUERY SELECT * FROM job_queue_task_limits l WHERE l.task_type = job_queue_set_task_limits.task_type;
END
$$;

-- hold a task type back until a time (NULL or the past: resume). A handler's pause never shortens a
-- longer one that is in force.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_pause_task_type(
  task_type text, until timestamptz, reason text DEFAULT NULL, source text DEFAULT 'api', updated_by text DEFAULT NULL)
RETURNS SETOF jobqueue.job_queue_task_limits
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
#variable_conflict use_column
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
         updated_at    = now();
  DELETE FROM job_queue_task_limits l
   WHERE l.task_type = job_queue_pause_task_type.task_type AND l.max_concurrency IS NULL AND l.partition_by IS NULL
     AND l.rate_limit IS NULL AND (l.paused_until IS NULL OR l.paused_until <= now());
  RETURN QUERY SELECT * FROM job_queue_task_limits l WHERE l.task_type = job_queue_pause_task_type.task_type;
END
$$;

-- reads: every type with limits or a pause, with what is in force right now
CREATE OR REPLACE FUNCTION jobqueue.job_queue_get_task_limits()
RETURNS TABLE (task_type text, max_concurrency integer, partition_by text, max_concurrency_per_partition integer,
               rate_limit integer, rate_interval_ms bigint, paused_until timestamptz, paused_reason text,
               source text, updated_by text, updated_at timestamptz, running bigint, starts_in_window bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
  SELECT l.task_type, l.max_concurrency, l.partition_by, l.max_concurrency_per_partition, l.rate_limit,
         l.rate_interval_ms, CASE WHEN l.paused_until > now() THEN l.paused_until END,
         CASE WHEN l.paused_until > now() THEN l.paused_reason END, l.source, l.updated_by, l.updated_at,
         (SELECT count(*) FROM job_queue q WHERE q.status = 'processing' AND q.task_type = l.task_type),
         (SELECT count(*) FROM job_queue_task_starts s
           WHERE s.task_type = l.task_type AND s.started_at > now() - l.rate_interval_ms * interval '1 millisecond')
    FROM job_queue_task_limits l
   ORDER BY l.task_type;
$$;

-- enqueue: + priority, partition_key (trailing, with defaults: every earlier call keeps working) ----
DROP FUNCTION IF EXISTS jobqueue.job_queue_enqueue(text, jsonb, timestamptz, integer, text, text, text);
CREATE FUNCTION jobqueue.job_queue_enqueue(
  task_type     text,
  payload       jsonb       DEFAULT '{}'::jsonb,
  run_at        timestamptz DEFAULT now(),
  max_attempts  integer     DEFAULT 3,
  dedupe_key    text        DEFAULT NULL,
  triggered_by  text        DEFAULT NULL,
  request_id    text        DEFAULT NULL,
  priority      integer     DEFAULT 0,
  partition_key text        DEFAULT NULL)
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

  LOOP
    INSERT INTO job_queue AS j (task_type, payload, run_at, max_attempts, dedupe_key, triggered_by, request_id,
                                priority, partition_key)
    VALUES (job_queue_enqueue.task_type,
            COALESCE(job_queue_enqueue.payload, '{}'::jsonb),
            COALESCE(job_queue_enqueue.run_at, now()),
            COALESCE(job_queue_enqueue.max_attempts, 3),
            job_queue_enqueue.dedupe_key,
            job_queue_enqueue.triggered_by,
            job_queue_enqueue.request_id,
            COALESCE(job_queue_enqueue.priority, 0),
            job_queue_enqueue.partition_key)
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

DROP FUNCTION IF EXISTS jobqueue.job_queue_enqueue_many(text, jsonb[], timestamptz, integer, text);
CREATE FUNCTION jobqueue.job_queue_enqueue_many(
  task_type    text,
  payloads     jsonb[],
  run_at       timestamptz DEFAULT now(),
  max_attempts integer     DEFAULT 3,
  triggered_by text        DEFAULT NULL,
  priority     integer     DEFAULT 0)
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
  INSERT INTO job_queue (task_type, payload, run_at, max_attempts, triggered_by, priority)
  SELECT job_queue_enqueue_many.task_type, COALESCE(p, '{}'::jsonb),
         COALESCE(job_queue_enqueue_many.run_at, now()), COALESCE(job_queue_enqueue_many.max_attempts, 3),
         job_queue_enqueue_many.triggered_by, COALESCE(job_queue_enqueue_many.priority, 0)
    FROM unnest(job_queue_enqueue_many.payloads) AS p;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

CALL jobqueue.create_compat_wrappers(ARRAY['job_queue_enqueue', 'job_queue_enqueue_many']);
CALL jobqueue.lock_down();
CALL jobqueue.grant_app_execute('job\_queue\_%');
