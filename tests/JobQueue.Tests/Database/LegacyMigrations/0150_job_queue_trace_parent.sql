-- Trace context on the job (issue 16, Azure portal monitoring): the W3C traceparent
-- ("00-<trace id>-<span id>-<flags>") of the trace that enqueued a job, so that each of its
-- attempts' traces (ActivitySource "JobQueue") links back to the request that asked for it. NULL
-- when the enqueuer was in no trace (pg_cron, psql, a caller without OpenTelemetry).
--
-- A nullable column without a default: adding it rewrites no row, and a job enqueued without trace
-- context stores nothing more than before. The enqueue functions (0104's bodies, with the payload
-- limits) keep their one INSERT and gain a
-- last parameter with a default, so every existing positional call (pg_cron commands, legacy
-- callers of the public wrappers) still works. Claim, get and list return the table's row type and
-- so return the column too.

ALTER TABLE jobqueue.job_queue ADD COLUMN IF NOT EXISTS trace_parent text;
-- what the app writes is 55 characters; anything longer is not a traceparent (checked for new rows
-- only: every existing row is NULL)
ALTER TABLE jobqueue.job_queue DROP CONSTRAINT IF EXISTS job_queue_trace_parent_length;
ALTER TABLE jobqueue.job_queue ADD CONSTRAINT job_queue_trace_parent_length
  CHECK (trace_parent IS NULL OR length(trace_parent) <= 128) NOT VALID;

DROP FUNCTION IF EXISTS jobqueue.job_queue_enqueue(text, jsonb, timestamptz, integer, text, text, text, integer, text);
CREATE FUNCTION jobqueue.job_queue_enqueue(
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

  LOOP
    INSERT INTO job_queue AS j (task_type, payload, run_at, max_attempts, dedupe_key, triggered_by, request_id,
                                priority, partition_key, trace_parent)
    VALUES (job_queue_enqueue.task_type,
            COALESCE(job_queue_enqueue.payload, '{}'::jsonb),
            COALESCE(job_queue_enqueue.run_at, now()),
            COALESCE(job_queue_enqueue.max_attempts, 3),
            job_queue_enqueue.dedupe_key,
            job_queue_enqueue.triggered_by,
            job_queue_enqueue.request_id,
            COALESCE(job_queue_enqueue.priority, 0),
            job_queue_enqueue.partition_key,
            job_queue_enqueue.trace_parent)
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

DROP FUNCTION IF EXISTS jobqueue.job_queue_enqueue_many(text, jsonb[], timestamptz, integer, text, integer);
CREATE FUNCTION jobqueue.job_queue_enqueue_many(
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
  INSERT INTO job_queue (task_type, payload, run_at, max_attempts, triggered_by, priority, trace_parent)
  SELECT job_queue_enqueue_many.task_type, COALESCE(p, '{}'::jsonb),
         COALESCE(job_queue_enqueue_many.run_at, now()), COALESCE(job_queue_enqueue_many.max_attempts, 3),
         job_queue_enqueue_many.triggered_by, COALESCE(job_queue_enqueue_many.priority, 0), job_queue_enqueue_many.trace_parent
    FROM unnest(job_queue_enqueue_many.payloads) AS p;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

CALL jobqueue.create_compat_wrappers(ARRAY['job_queue_enqueue', 'job_queue_enqueue_many']);

CALL jobqueue.lock_down();
CALL jobqueue.grant_app_execute('job\_queue\_enqueue%');
