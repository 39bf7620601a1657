-- The job list with a creation-time window and a payload text, and retry / cancel of every job that
-- matches such a filter (the dashboard's bulk actions, after a dry run that counts them).
--
-- One filter for the three: jobqueue.job_filter_clause builds the conditions from which values are
-- given, always over the parameters $1..$5 = status, task type, created after (inclusive), created
-- before (exclusive), payload LIKE pattern; each caller runs the statement dynamically, so that each
-- combination is planned with its values (a status picks its index, as in the list of 0004).
-- The payload text is matched case-insensitively against the payload's JSON text, with LIKE's
-- wildcards escaped: it reads the rows the other conditions leave, newest first, until a page is full.

CREATE OR REPLACE FUNCTION jobqueue.job_filter_clause(has_status boolean, has_task_type boolean, has_after boolean, has_before boolean, has_text boolean)
RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = jobqueue, pg_temp
AS $$
  SELECT CASE WHEN $1 THEN ' AND j.status = $1' ELSE '' END
      || CASE WHEN $2 THEN ' AND j.task_type = $2' ELSE '' END
      || CASE WHEN $3 THEN ' AND j.created_at >= $3' ELSE '' END
      || CASE WHEN $4 THEN ' AND j.created_at < $4' ELSE '' END
      || CASE WHEN $5 THEN ' AND j.payload::text ILIKE $5' ELSE '' END;
$$;

-- '%text%' with LIKE's wildcards and escape character taken literally
CREATE OR REPLACE FUNCTION jobqueue.like_pattern(text text)
RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = jobqueue, pg_temp
AS $$
  SELECT CASE WHEN $1 IS NULL THEN NULL
              ELSE '%' || replace(replace(replace($1, '\', '\\'), '%', '\%'), '_', '\_') || '%' END;
$$;

DROP FUNCTION IF EXISTS jobqueue.job_queue_list(text, text, integer, uuid);

CREATE OR REPLACE FUNCTION jobqueue.job_queue_list(
  status         text        DEFAULT NULL,
  task_type      text        DEFAULT NULL,
  "limit"        integer     DEFAULT 50,
  before_id      uuid        DEFAULT NULL,
  created_after  timestamptz DEFAULT NULL,
  created_before timestamptz DEFAULT NULL,
  payload_text   text        DEFAULT NULL)
RETURNS SETOF jobqueue.job_queue
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
DECLARE
  matching text := 'SELECT j.* FROM job_queue j WHERE true'
    || job_filter_clause($1 IS NOT NULL, $2 IS NOT NULL, $5 IS NOT NULL, $6 IS NOT NULL, $7 IS NOT NULL)
    || CASE WHEN $4 IS NOT NULL THEN ' AND j.id < $6' ELSE '' END;
  few boolean := false;
BEGIN
  -- Pending and processing jobs have an index each (due, lease) but not in id order. While they are
  -- few (the exact counters of 0140 say so), read them all from that index and sort them: the
  -- planner, misled by statistics taken while a backlog was large, would otherwise walk the primary
  -- key backwards through every finished row (measured: 1.4 s at 1,000,000 rows instead of 0.1 ms).
  IF $1 IN ('pending', 'processing') THEN
    SELECT COALESCE(CASE WHEN $1 = 'pending' THEN sum(c.pending) ELSE sum(c.processing) END, 0) <= 10000
      INTO few FROM job_queue_status_counts c;
  END IF;
  RETURN QUERY EXECUTE
    CASE WHEN few THEN 'WITH m AS MATERIALIZED (' || matching || ') SELECT * FROM m ORDER BY m.id DESC LIMIT $7'
         ELSE matching || ' ORDER BY j.id DESC LIMIT $7' END
  USING $1, $2, $5, $6, like_pattern($7), $4, LEAST(GREATEST(COALESCE($3, 50), 1), 500);
END
$$;

-- Retry (back to pending, from attempt 1) the failed and cancelled jobs of the filter, oldest first,
-- at most max_jobs (1..100,000) per call; dry_run only counts. matched: the filter's failed and
-- cancelled jobs; changed: the jobs retried. Of jobs that share a dedupe key only the newest is
-- retried, and none whose key has a live job (it would run the work twice); jobs locked by another
-- transaction at that moment are skipped.
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
BEGIN
  EXECUTE 'SELECT count(*) FROM job_queue j WHERE true' || clause
    INTO n_matched USING status, task_type, created_after, created_before, pattern;
  IF NOT COALESCE(dry_run, true) AND n_matched > 0 THEN
    retry_sql :=
      'WITH picked AS (
         SELECT j.id, j.task_type, j.dedupe_key FROM job_queue j WHERE true' || clause || '
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
                triggered_by = COALESCE($7, q.triggered_by), updated_at = now()
           FROM eligible e WHERE q.id = e.id
         RETURNING 1
       )
       SELECT count(*) FROM done';
    BEGIN
      EXECUTE retry_sql INTO n_changed USING status, task_type, created_after, created_before, pattern, cap, actor, true;
    EXCEPTION WHEN unique_violation THEN
      -- a job with the same dedupe key was enqueued meanwhile: retry only the jobs without a key
      EXECUTE retry_sql INTO n_changed USING status, task_type, created_after, created_before, pattern, cap, actor, false;
    END;
  END IF;
  RETURN QUERY SELECT n_matched, n_changed;
END
$$;

-- Cancel the pending and processing jobs of the filter, oldest first, at most max_jobs per call;
-- dry_run only counts. A processing job's attempt is recorded as cancelled (as job_queue_cancel
-- does); its runner's late result is ignored (it no longer holds the lease).
CREATE OR REPLACE FUNCTION jobqueue.job_queue_bulk_cancel(
  status text, task_type text, created_after timestamptz, created_before timestamptz, payload_text text,
  dry_run boolean DEFAULT true, max_jobs integer DEFAULT 10000, actor text DEFAULT NULL, reason text DEFAULT NULL)
RETURNS TABLE (matched bigint, changed integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
  clause text := jobqueue.job_filter_clause(status IS NOT NULL, task_type IS NOT NULL, created_after IS NOT NULL,
                                         created_before IS NOT NULL, payload_text IS NOT NULL)
                 || ' AND j.status IN (''pending'', ''processing'')';
  pattern text := jobqueue.like_pattern(payload_text);
  cap integer := LEAST(GREATEST(COALESCE(max_jobs, 10000), 1), 100000);
  message text := left('cancelled' || COALESCE(' by ' || actor, '') || COALESCE(': ' || reason, ''), 4000);
  n_matched bigint;
  n_changed integer := 0;
BEGIN
  EXECUTE 'SELECT count(*) FROM job_queue j WHERE true' || clause
    INTO n_matched USING status, task_type, created_after, created_before, pattern;
  IF NOT COALESCE(dry_run, true) AND n_matched > 0 THEN
    EXECUTE
      'WITH picked AS (
         SELECT j.id, j.status, j.attempts, j.locked_by, j.started_at FROM job_queue j WHERE true' || clause || '
          ORDER BY j.id LIMIT $6 FOR UPDATE SKIP LOCKED
       ), history AS (
         INSERT INTO job_queue_attempts (job_id, attempt, runner_id, started_at, outcome, error, duration_ms)
         SELECT p.id, p.attempts, p.locked_by, COALESCE(p.started_at, now()), ''cancelled'', $7,
                GREATEST(0, (extract(epoch FROM now() - COALESCE(p.started_at, now())) * 1000)::integer)
           FROM picked p WHERE p.status = ''processing''
       ), done AS (
         UPDATE job_queue q
            SET status = ''cancelled'', last_error = $7, locked_by = NULL, locked_until = NULL,
                completed_at = now(), updated_at = now()
           FROM picked p WHERE q.id = p.id
         RETURNING 1
       )
       SELECT count(*) FROM done'
      INTO n_changed USING status, task_type, created_after, created_before, pattern, cap, message;
  END IF;
  RETURN QUERY SELECT n_matched, n_changed;
END
$$;

-- the wrapper in public (existing callers of job_queue_list) follows the new signature; its first
-- four arguments are the old ones
CALL jobqueue.create_compat_wrappers(ARRAY['job_queue_list']);

CALL jobqueue.lock_down();
CALL jobqueue.grant_app_execute('job\_queue\_list');
CALL jobqueue.grant_app_execute('job\_queue\_bulk\_%');
