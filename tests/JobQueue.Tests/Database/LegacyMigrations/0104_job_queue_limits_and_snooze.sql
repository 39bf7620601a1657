-- Payload and output limits every producer passes, and attempts given back ("snoozed").
--
-- Limits: a payload (or output) is at most 1 MiB as stored and has no value nested 32 levels below
-- its root or deeper (the runner reads JSON up to 64 levels; the API accepts bodies 32 levels deep,
-- so every payload the API takes passes). The SQL enqueues (job_queue_enqueue, job_queue_enqueue_many:
-- pg_cron commands, triggers, old callers) refuse a payload over a limit with SQLSTATE 22023 naming
-- it; an output over a limit is replaced by a note saying why, so that a finish is never refused.
-- The depth test reads the whole document, so it runs only on documents of 256 bytes or more: a
-- value at level 32 needs 32 enclosing containers, at least 260 bytes stored (measured), so smaller
-- documents cannot break the limit. Measured per row: about 2.5 µs with the depth test on every
-- row, nothing measurable with the size gate (the batch enqueue of small payloads is unchanged).
--
-- Snoozed attempts: a finish with "snooze": true puts the job back to pending at now + retryInMs
-- and gives its attempt back (attempts - 1), recorded as outcome 'snoozed' in the attempt history.
-- The runner uses it for a job whose task type this instance does not know (a newer version
-- enqueued it during a rolling deploy): it waits for an instance that knows it instead of failing.

-- NULL when the document is within the limits, else what is wrong with it (internal: not granted)
CREATE OR REPLACE FUNCTION jobqueue.payload_limit_problem(doc jsonb)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = jobqueue, pg_temp
AS $$
  SELECT CASE
           WHEN doc IS NULL THEN NULL
           WHEN pg_column_size(doc) > 1048576 THEN 'larger than 1 MiB (1048576 bytes)'
           WHEN pg_column_size(doc) >= 256 AND jsonb_path_exists(doc, 'strict $.**{32 to last}')
             THEN 'nested 32 levels deep or deeper (the limit is 31 levels below the root)'
         END;
$$;

ALTER TABLE jobqueue.job_queue_attempts DROP CONSTRAINT IF EXISTS job_queue_attempts_outcome_check;
ALTER TABLE jobqueue.job_queue_attempts ADD CONSTRAINT job_queue_attempts_outcome_check
  CHECK (outcome IN ('succeeded', 'retry', 'failed', 'lease_expired', 'cancelled', 'snoozed')) NOT VALID;

-- enqueue (same signature as 0002, plus the payload limits) -----------------------------------------
CREATE OR REPLACE FUNCTION jobqueue.job_queue_enqueue(
  task_type    text,
  payload      jsonb       DEFAULT '{}'::jsonb,
  run_at       timestamptz DEFAULT now(),
  max_attempts integer     DEFAULT 3,
  dedupe_key   text        DEFAULT NULL,
  triggered_by text        DEFAULT NULL,
  request_id   text        DEFAULT NULL)
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

  LOOP
    INSERT INTO job_queue AS j (task_type, payload, run_at, max_attempts, dedupe_key, triggered_by, request_id)
    VALUES (job_queue_enqueue.task_type,
            COALESCE(job_queue_enqueue.payload, '{}'::jsonb),
            COALESCE(job_queue_enqueue.run_at, now()),
            COALESCE(job_queue_enqueue.max_attempts, 3),
            job_queue_enqueue.dedupe_key,
            job_queue_enqueue.triggered_by,
            job_queue_enqueue.request_id)
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
  triggered_by text        DEFAULT NULL)
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
  SELECT i, COALESCE(jobqueue.payload_limit_problem(p), 'not a JSON object') AS problem INTO bad
    FROM unnest(job_queue_enqueue_many.payloads) WITH ORDINALITY AS x(p, i)
   WHERE p IS NOT NULL AND (jsonb_typeof(p) <> 'object' OR jobqueue.payload_limit_problem(p) IS NOT NULL)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'payload % is %', bad.i, bad.problem USING ERRCODE = '22023', COLUMN = 'payloads';
  END IF;
  INSERT INTO job_queue (task_type, payload, run_at, max_attempts, triggered_by)
  SELECT job_queue_enqueue_many.task_type, COALESCE(p, '{}'::jsonb),
         COALESCE(job_queue_enqueue_many.run_at, now()), COALESCE(job_queue_enqueue_many.max_attempts, 3),
         job_queue_enqueue_many.triggered_by
    FROM unnest(job_queue_enqueue_many.payloads) AS p;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

-- finish (batch): as 0002, plus "snooze" and bounded outputs -----------------------------------------
-- results: [{"id": uuid, "succeeded": bool, "output": json, "error": text,
--            "retryInMs": bigint or null (null = do not retry), "durationMs": int,
--            "snooze": bool (back to pending at now + retryInMs, the attempt given back)}]
CREATE OR REPLACE FUNCTION jobqueue.job_queue_complete(runner_id text, results jsonb)
RETURNS TABLE (id uuid, status text, attempts integer, last_error text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
#variable_conflict use_column
BEGIN
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
END
$$;

CALL jobqueue.lock_down();
CALL jobqueue.grant_app_execute('job\_queue\_%');
