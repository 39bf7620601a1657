-- Retries the failed and cancelled jobs that match a filter (see job_filter_clause): back to
-- pending, due now, from attempt 1, oldest first, at most max_jobs (1..100,000) per call; with
-- dry_run (the default) it only counts. Called by JobBulkStore.RetryAsync
-- (POST admin/jobs/bulk-retry, the dashboard's bulk retry, after a dry run). Returns matched (the
-- filter's failed and cancelled jobs) and changed (the jobs retried). Of jobs that share a dedupe
-- key only the newest is retried, and none whose key has a live job (it would run the work twice);
-- rows locked by another transaction are skipped. The retried jobs' held flags are read after the
-- shared held-flag lock of each task type involved, taken in sorted order (see held_flag_key).
CREATE OR REPLACE FUNCTION jobqueue.job_queue_bulk_retry(status text, task_type text, created_after timestamp with time zone, created_before timestamp with time zone, payload_text text, dry_run boolean DEFAULT true, max_jobs integer DEFAULT 10000, actor text DEFAULT NULL::text)
 RETURNS TABLE(matched bigint, changed integer)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
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
$function$;
