-- The new side of the parity report (GET admin/cutover/parity, CutoverParityStore): for each
-- JobQueue pg_cron job name, its latest jobs (jobs_per_name 1..100, newest first) that it enqueued
-- (triggered_by = 'pg_cron:' || name) since `since`, one row per attempt (attempt columns NULL for
-- a job not attempted yet), with the HTTP status code where one is recorded: an http_request job's
-- output `status` for its succeeded attempt, else the code of an error that starts "HTTP nnn " (after
-- the exception's type name, as the runner records a retried HTTP failure).
CREATE OR REPLACE FUNCTION jobqueue.cutover_parity_attempts(jobnames text[], since timestamp with time zone, jobs_per_name integer DEFAULT 10)
 RETURNS TABLE(jobname text, job_id uuid, job_status text, created_at timestamp with time zone, attempt integer, outcome text, started_at timestamp with time zone, finished_at timestamp with time zone, duration_ms integer, status_code integer, error text)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  SELECT n.jobname, j.id, j.status, j.created_at, a.attempt, a.outcome, a.started_at, a.finished_at, a.duration_ms,
         CASE
           WHEN a.outcome = 'succeeded' AND j.output ->> 'status' ~ '^[1-5][0-9][0-9]$' THEN (j.output ->> 'status')::integer
           ELSE (substring(a.error FROM '^(?:[A-Za-z]+: )?HTTP ([1-5][0-9][0-9]) '))::integer
         END,
         left(a.error, 500)
    FROM unnest(cutover_parity_attempts.jobnames) AS n(jobname)
    CROSS JOIN LATERAL (
      SELECT q.id, q.status, q.created_at, q.output
        FROM jobqueue.job_queue q
       WHERE q.triggered_by = 'pg_cron:' || n.jobname
         AND q.created_at >= cutover_parity_attempts.since
       ORDER BY q.id DESC
       LIMIT LEAST(GREATEST(COALESCE(cutover_parity_attempts.jobs_per_name, 10), 1), 100)) j
    LEFT JOIN jobqueue.job_queue_attempts a ON a.job_id = j.id
   ORDER BY n.jobname, j.id DESC, a.attempt;
$function$;
