-- Cancels the pending and processing jobs that match a filter (status, task type, creation window,
-- payload text: see job_filter_clause), oldest first, at most max_jobs (1..100,000) per call; with
-- dry_run (the default) it only counts. Called by JobBulkStore.CancelAsync
-- (POST admin/jobs/bulk-cancel, the dashboard's bulk cancel, after a dry run). Returns matched (the
-- filter's pending and processing jobs) and changed (the jobs cancelled). last_error becomes
-- "cancelled[ by actor][: reason]". A processing job's attempt is recorded as cancelled (as
-- job_queue_cancel does) and its lease cleared: its runner's late result is ignored. Rows locked by
-- another transaction are skipped (SKIP LOCKED).
CREATE OR REPLACE FUNCTION jobqueue.job_queue_bulk_cancel(status text, task_type text, created_after timestamp with time zone, created_before timestamp with time zone, payload_text text, dry_run boolean DEFAULT true, max_jobs integer DEFAULT 10000, actor text DEFAULT NULL::text, reason text DEFAULT NULL::text)
 RETURNS TABLE(matched bigint, changed integer)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
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
$function$;
