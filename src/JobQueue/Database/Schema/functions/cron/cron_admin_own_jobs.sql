-- The app's cron jobs, the base of every cron wrapper: the pg_cron jobs of this role (pg_cron
-- records the functions' owner as their user) that are recorded in jobqueue.cron_jobs and still
-- hold the exact command recorded there (a command edited by hand makes the job foreign again).
-- Returns what the app wrote (task type, payload, max attempts, dedupe key, database, priority),
-- never the command text. Raises JQC01 without pg_cron. Internal.
CREATE OR REPLACE FUNCTION jobqueue.cron_admin_own_jobs()
 RETURNS SETOF jobqueue.cron_job_info
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  RETURN QUERY
  SELECT j.jobid, j.jobname::text, j.schedule, j.active, r.task_type, r.payload, r.max_attempts,
         r.dedupe_key, r.target_database, r.priority
    FROM cron.job j
    JOIN jobqueue.cron_jobs r ON r.jobid = j.jobid AND r.command = j.command
   WHERE j.username = current_user;
END
$function$;
