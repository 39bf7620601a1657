-- The latest runs (cron.job_run_details) of the app's cron jobs only, newest first, limit clamped
-- to 1..1000, with the job's name and without its command (CronJobStore.GetRunsAsync, the admin
-- API's run history). Raises JQC01 without pg_cron.
CREATE OR REPLACE FUNCTION jobqueue.get_cron_job_runs("limit" integer DEFAULT 50)
 RETURNS TABLE(runid bigint, jobid bigint, jobname text, status text, return_message text, start_time timestamp with time zone, end_time timestamp with time zone, database text)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  RETURN QUERY
  SELECT d.runid, d.jobid, o.jobname, d.status, d.return_message, d.start_time, d.end_time, d.database
    FROM cron.job_run_details d
    JOIN jobqueue.cron_admin_own_jobs() o ON o.jobid = d.jobid
   ORDER BY d.runid DESC
   LIMIT LEAST(GREATEST(COALESCE(get_cron_job_runs."limit", 50), 1), 1000);
END
$function$;
