-- The app's cron jobs (cron_admin_own_jobs) by name (CronJobStore.GetJobsAsync:
-- GET admin/cron-jobs): schedule, active, task type, payload, max attempts, dedupe key, database
-- and priority, with their latest run's status, start, end and message. Never the command text.
-- Raises JQC01 without pg_cron.
CREATE OR REPLACE FUNCTION jobqueue.get_cron_jobs()
 RETURNS TABLE(jobid bigint, jobname text, schedule text, active boolean, task_type text, payload jsonb, max_attempts integer, dedupe_key text, database text, priority integer, last_run_status text, last_run_started_at timestamp with time zone, last_run_finished_at timestamp with time zone, last_run_message text)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  RETURN QUERY
  SELECT o.jobid, o.jobname, o.schedule, o.active, o.task_type, o.payload, o.max_attempts, o.dedupe_key,
         o.database, o.priority, r.status, r.start_time, r.end_time, r.return_message
    FROM jobqueue.cron_admin_own_jobs() o
    LEFT JOIN LATERAL (
      SELECT d.status, d.start_time, d.end_time, d.return_message
        FROM cron.job_run_details d
       WHERE d.jobid = o.jobid
       ORDER BY d.runid DESC
       LIMIT 1) r ON true
   ORDER BY o.jobname, o.jobid;
END
$function$;
