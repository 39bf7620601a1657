-- The job queue's RPCs. Every query the library runs against the queue is one of these.
-- SECURITY DEFINER with a fixed search_path: callers need EXECUTE only (granted to jobqueue_app
-- at the end of this file), never privileges on the tables.
-- The four RPCs existing callers use keep their positional signatures:
--   job_queue_enqueue(task_type, payload, run_at, max_attempts), job_queue_claim(limit),
--   job_queue_mark_succeeded(id, output), job_queue_mark_failed(id, error, retry_in)
-- with extra parameters only as trailing ones with defaults.

ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- Speed: the attempt history is written for every finished job; a foreign key to job_queue would
-- add a lookup and a row lock on the job per attempt (about a fifth of a batch finish). Attempts
-- are only ever written by these functions for a job they hold, and only job_queue_cleanup_batch
-- deletes jobs: it deletes their attempts in the same statement. So the link is kept here.
ALTER TABLE job_queue_attempts DROP CONSTRAINT IF EXISTS job_queue_attempts_job_id_fkey;

-- Every job is updated twice (claim, finish), so the queue table churns: vacuum and analyze it after
-- 2% of its rows changed rather than the default 20%, so that the partial indexes the claim and the
-- lease rescue read (due pending jobs, processing jobs) stay free of dead entries as the table grows.
ALTER TABLE job_queue SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02,
                           autovacuum_analyze_scale_factor = 0.02);

-- Time-ordered job ids: the id default is set in 0004.

-- enqueue --------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION job_queue_enqueue(
  task_type    text,
  payload      jsonb       DEFAULT '{}'::jsonb,
  run_at       timestamptz DEFAULT now(),
  max_attempts integer     DEFAULT 3,
  dedupe_key   text        DEFAULT NULL,
  triggered_by text        DEFAULT NULL,
  request_id   text        DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  new_id uuid;
BEGIN
  IF job_queue_enqueue.task_type IS NULL OR length(job_queue_enqueue.task_type) NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'task_type must be 1 to 100 characters' USING ERRCODE = '22023';
  END IF;
  IF job_queue_enqueue.payload IS NOT NULL AND jsonb_typeof(job_queue_enqueue.payload) <> 'object' THEN
    RAISE EXCEPTION 'payload must be a JSON object' USING ERRCODE = '22023';
  END IF;
  IF COALESCE(job_queue_enqueue.max_attempts, 3) NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'max_attempts must be between 1 and 100' USING ERRCODE = '22023';
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

-- bulk enqueue: one statement for many jobs (bulk producers); dedupe keys are not supported here
CREATE OR REPLACE FUNCTION job_queue_enqueue_many(
  task_type    text,
  payloads     jsonb[],
  run_at       timestamptz DEFAULT now(),
  max_attempts integer     DEFAULT 3,
  triggered_by text        DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  n integer;
BEGIN
  IF job_queue_enqueue_many.task_type IS NULL OR length(job_queue_enqueue_many.task_type) NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'task_type must be 1 to 100 characters' USING ERRCODE = '22023';
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

-- lease rescue ---------------------------------------------------------------------------------
-- Jobs whose runner died (lease expired): the lost attempt is recorded, the job goes back to
-- pending, or to failed when it has no attempts left.
CREATE OR REPLACE FUNCTION job_queue_rescue_expired(max_jobs integer DEFAULT 100)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  n integer;
BEGIN
  WITH expired AS (
    SELECT j.id, j.attempts, j.max_attempts, j.locked_by, j.started_at
      FROM job_queue j
     WHERE j.status = 'processing' AND j.locked_until < now()
     ORDER BY j.locked_until
     LIMIT max_jobs
       FOR UPDATE SKIP LOCKED
  ), rescued AS (
    UPDATE job_queue j
       SET status       = CASE WHEN e.attempts >= e.max_attempts THEN 'failed' ELSE 'pending' END,
           last_error   = 'lease expired: runner ' || COALESCE(e.locked_by, '?')
                          || ' did not finish attempt ' || e.attempts,
           run_at       = now(),
           locked_by    = NULL,
           locked_until = NULL,
           completed_at = CASE WHEN e.attempts >= e.max_attempts THEN now() END,
           updated_at   = now()
      FROM expired e
     WHERE j.id = e.id
    RETURNING j.id
  ), logged AS (
    INSERT INTO job_queue_attempts (job_id, attempt, runner_id, started_at, outcome, error, duration_ms)
    SELECT e.id, e.attempts, e.locked_by, COALESCE(e.started_at, now()), 'lease_expired',
           'lease expired before the attempt finished',
           GREATEST(0, (extract(epoch FROM now() - COALESCE(e.started_at, now())) * 1000)::integer)
      FROM expired e JOIN rescued r ON r.id = e.id
    RETURNING 1
  )
  SELECT count(*) INTO n FROM logged;
  RETURN n;
END
$$;

-- claim ----------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION job_queue_claim(
  "limit"   integer,
  lease     interval DEFAULT interval '5 minutes',
  runner_id text     DEFAULT NULL)
RETURNS SETOF job_queue
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  n         integer  := LEAST(GREATEST(COALESCE(job_queue_claim."limit", 1), 0), 10000);
  who       text     := COALESCE(job_queue_claim.runner_id, 'sql:' || pg_backend_pid());
  lease_for interval := COALESCE(job_queue_claim.lease, interval '5 minutes');
BEGIN
  IF n = 0 THEN
    RETURN;
  END IF;
  -- rescue only when some lease has expired: min() reads one entry of the lease index
  IF (SELECT min(q.locked_until) FROM job_queue q WHERE q.status = 'processing') < now() THEN
    PERFORM job_queue_rescue_expired(100);
  END IF;
  -- the due ids are locked first, then updated by primary key: the plan never depends on the
  -- table's size or on how many jobs are processing
  RETURN QUERY
  UPDATE job_queue j
     SET status       = 'processing',
         attempts     = j.attempts + 1,
         locked_by    = who,
         locked_until = now() + lease_for,
         started_at   = now(),
         updated_at   = now()
   WHERE j.id = ANY (ARRAY(
           SELECT q.id
             FROM job_queue q
            WHERE q.status = 'pending' AND q.run_at <= now()
            ORDER BY q.run_at
            LIMIT n
              FOR UPDATE SKIP LOCKED))
  RETURNING j.*;
END
$$;

-- finish (batch) -------------------------------------------------------------------------------
-- results: [{"id": uuid, "succeeded": bool, "output": json, "error": text,
--            "retryInMs": bigint or null (null = do not retry), "durationMs": int}]
-- Only jobs still processing under this runner's lease are finished (fencing): a late runner
-- whose lease was taken over changes nothing, and its row is absent from the result.
CREATE OR REPLACE FUNCTION job_queue_complete(runner_id text, results jsonb)
RETURNS TABLE (id uuid, status text, attempts integer, last_error text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH r AS MATERIALIZED (
    SELECT x.id, COALESCE(x.succeeded, false) AS succeeded, x.output, x.error,
           x."retryInMs" AS retry_in_ms, x."durationMs" AS duration_ms
      FROM jsonb_to_recordset(job_queue_complete.results)
           AS x(id uuid, succeeded boolean, output jsonb, error text, "retryInMs" bigint, "durationMs" integer)
  ), upd AS (
    UPDATE job_queue j
       SET status       = CASE WHEN r.succeeded THEN 'succeeded'
                               WHEN r.retry_in_ms IS NOT NULL AND j.attempts < j.max_attempts THEN 'pending'
                               ELSE 'failed' END,
           output       = CASE WHEN r.succeeded THEN r.output ELSE j.output END,
           last_error   = CASE WHEN r.succeeded THEN NULL ELSE left(COALESCE(r.error, 'failed'), 4000) END,
           run_at       = CASE WHEN NOT r.succeeded AND r.retry_in_ms IS NOT NULL AND j.attempts < j.max_attempts
                               THEN now() + r.retry_in_ms * interval '1 millisecond'
                               ELSE j.run_at END,
           completed_at = CASE WHEN r.succeeded OR r.retry_in_ms IS NULL OR j.attempts >= j.max_attempts
                               THEN now() END,
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
    SELECT u.id, u.attempts, job_queue_complete.runner_id, COALESCE(u.started_at, now()),
           CASE u.status WHEN 'succeeded' THEN 'succeeded' WHEN 'pending' THEN 'retry' ELSE 'failed' END,
           u.last_error,
           COALESCE(r.duration_ms,
                    GREATEST(0, (extract(epoch FROM now() - COALESCE(u.started_at, now())) * 1000)::integer))
      FROM upd u JOIN r ON r.id = u.id
  )
  SELECT u.id, u.status, u.attempts, u.last_error FROM upd u;
END
$$;

-- finish (one job), the signatures existing callers use ---------------------------------------
-- Without runner_id the current lease holder is assumed (the old callers had no runner ids).
CREATE OR REPLACE FUNCTION job_queue_mark_succeeded(id uuid, output jsonb DEFAULT NULL, runner_id text DEFAULT NULL)
RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT EXISTS (
    SELECT 1 FROM job_queue_complete(
      COALESCE($3, (SELECT q.locked_by FROM job_queue q WHERE q.id = $1)),
      jsonb_build_array(jsonb_build_object('id', $1, 'succeeded', true, 'output', $2))));
$$;

CREATE OR REPLACE FUNCTION job_queue_mark_failed(id uuid, error text, retry_in interval DEFAULT NULL, runner_id text DEFAULT NULL)
RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT EXISTS (
    SELECT 1 FROM job_queue_complete(
      COALESCE($4, (SELECT q.locked_by FROM job_queue q WHERE q.id = $1)),
      jsonb_build_array(jsonb_build_object(
        'id', $1, 'succeeded', false, 'error', $2,
        'retryInMs', (extract(epoch FROM $3) * 1000)::bigint))));
$$;

-- operator actions: outcome is 'ok', 'not_found' or 'invalid_state' (status is the job's status
-- after the call, or its unchanged status when the state did not allow the action) ------------
CREATE OR REPLACE FUNCTION job_queue_retry(id uuid, actor text DEFAULT NULL)
RETURNS TABLE (outcome text, status text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  current text;
BEGIN
  SELECT q.status INTO current FROM job_queue q WHERE q.id = job_queue_retry.id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text; RETURN;
  END IF;
  IF current NOT IN ('failed', 'cancelled') THEN
    RETURN QUERY SELECT 'invalid_state'::text, current; RETURN;
  END IF;
  BEGIN
    UPDATE job_queue q
       SET status = 'pending', attempts = 0, run_at = now(), completed_at = NULL, output = NULL,
           triggered_by = COALESCE(job_queue_retry.actor, q.triggered_by), updated_at = now()
     WHERE q.id = job_queue_retry.id;
  EXCEPTION WHEN unique_violation THEN
    -- a live job with the same dedupe key exists: retrying would run the work twice
    RETURN QUERY SELECT 'invalid_state'::text, current; RETURN;
  END;
  RETURN QUERY SELECT 'ok'::text, 'pending'::text;
END
$$;

CREATE OR REPLACE FUNCTION job_queue_cancel(id uuid, actor text DEFAULT NULL, reason text DEFAULT NULL)
RETURNS TABLE (outcome text, status text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  j job_queue;
  message text;
BEGIN
  SELECT * INTO j FROM job_queue q WHERE q.id = job_queue_cancel.id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text; RETURN;
  END IF;
  IF j.status NOT IN ('pending', 'processing') THEN
    RETURN QUERY SELECT 'invalid_state'::text, j.status; RETURN;
  END IF;
  message := left('cancelled' || COALESCE(' by ' || job_queue_cancel.actor, '')
                  || COALESCE(': ' || job_queue_cancel.reason, ''), 4000);
  IF j.status = 'processing' THEN
    INSERT INTO job_queue_attempts (job_id, attempt, runner_id, started_at, outcome, error, duration_ms)
    VALUES (j.id, j.attempts, j.locked_by, COALESCE(j.started_at, now()), 'cancelled', message,
            GREATEST(0, (extract(epoch FROM now() - COALESCE(j.started_at, now())) * 1000)::integer));
  END IF;
  UPDATE job_queue q
     SET status = 'cancelled', last_error = message, locked_by = NULL, locked_until = NULL,
         completed_at = now(), updated_at = now()
   WHERE q.id = j.id;
  RETURN QUERY SELECT 'ok'::text, 'cancelled'::text;
END
$$;

CREATE OR REPLACE FUNCTION job_queue_run_now(id uuid)
RETURNS TABLE (outcome text, status text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  current text;
BEGIN
  SELECT q.status INTO current FROM job_queue q WHERE q.id = job_queue_run_now.id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text; RETURN;
  END IF;
  IF current <> 'pending' THEN
    RETURN QUERY SELECT 'invalid_state'::text, current; RETURN;
  END IF;
  UPDATE job_queue q SET run_at = now(), updated_at = now() WHERE q.id = job_queue_run_now.id;
  RETURN QUERY SELECT 'ok'::text, 'pending'::text;
END
$$;

-- settings ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION job_queue_get_settings()
RETURNS SETOF job_queue_settings
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT * FROM job_queue_settings WHERE id;
$$;

CREATE OR REPLACE FUNCTION job_queue_set_settings(processing_enabled boolean, paused_reason text DEFAULT NULL, updated_by text DEFAULT NULL)
RETURNS SETOF job_queue_settings
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  UPDATE job_queue_settings s
     SET processing_enabled = $1,
         paused_reason      = CASE WHEN $1 THEN NULL ELSE $2 END,
         updated_by         = $3,
         updated_at         = now()
   WHERE s.id
  RETURNING s.*;
$$;

-- reads ---------------------------------------------------------------------------------------------
-- (the job list: 0004)

CREATE OR REPLACE FUNCTION job_queue_get(id uuid)
RETURNS SETOF job_queue
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT * FROM job_queue q WHERE q.id = $1;
$$;

CREATE OR REPLACE FUNCTION job_queue_get_attempts(job_id uuid)
RETURNS SETOF job_queue_attempts
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT * FROM job_queue_attempts a WHERE a.job_id = $1 ORDER BY a.id;
$$;

-- health and the queue gauges: 0004

-- cleanup: one bounded batch per call, so that each batch is its own short transaction ------------
CREATE OR REPLACE FUNCTION job_queue_cleanup_batch(older_than timestamptz, batch_size integer DEFAULT 1000)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  n integer;
BEGIN
  WITH victims AS (
    SELECT q.id FROM job_queue q
     WHERE q.status IN ('succeeded', 'failed', 'cancelled') AND q.completed_at < older_than
     ORDER BY q.completed_at
     LIMIT LEAST(GREATEST(COALESCE(batch_size, 1000), 1), 50000)
       FOR UPDATE SKIP LOCKED
  ), gone AS (
    DELETE FROM job_queue j USING victims v WHERE j.id = v.id RETURNING j.id
  ), history AS (
    -- the attempts go with their job (by index, see the note on the foreign key above)
    DELETE FROM job_queue_attempts a WHERE a.job_id = ANY (ARRAY(SELECT g.id FROM gone g))
  )
  SELECT count(*) INTO n FROM gone;
  RETURN n;
END
$$;

-- privileges: EXECUTE for the app role only ----------------------------------------------------
-- Used by this and later migrations: for every public function whose name matches the LIKE
-- pattern, EXECUTE is revoked from PUBLIC and granted to jobqueue_app. Invoker's rights, and
-- callable by nobody but the owner.
CREATE OR REPLACE PROCEDURE jobqueue_grant_app_execute(name_pattern text)
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
  f record;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure AS signature
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public' AND p.prokind = 'f' AND p.proname LIKE name_pattern
  LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f.signature);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO jobqueue_app', f.signature);
  END LOOP;
END
$$;

REVOKE ALL ON PROCEDURE jobqueue_grant_app_execute(text) FROM PUBLIC;

CALL jobqueue_grant_app_execute('job\_queue\_%');
