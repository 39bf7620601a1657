-- The converted (old) pg_cron jobs as the CALLER sees them (SECURITY INVOKER: pg_cron's row-level
-- security shows a role only its own jobs unless it is a superuser or bypasses RLS): one row per
-- visible job of `jobids` with its active flag and command, and its latest `runs` (1..100) runs from
-- cron.job_run_details, newest first (run columns NULL for a job without runs). A job the caller
-- cannot see, or that no longer exists, has no row. The parity report calls it on
-- Database:MigrationConnectionString (OldCronRunReader) and masks the messages with the command's
-- literals; the command itself never leaves the library. Raises JQC01 without pg_cron. Not granted
-- to the app.
CREATE OR REPLACE FUNCTION jobqueue.cutover_old_runs(jobids bigint[], runs integer DEFAULT 10)
 RETURNS TABLE(jobid bigint, active boolean, command text, runid bigint, status text, return_message text, start_time timestamp with time zone, end_time timestamp with time zone)
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  RETURN QUERY
  SELECT j.jobid, j.active, j.command, d.runid, d.status, d.return_message, d.start_time, d.end_time
    FROM cron.job j
    LEFT JOIN LATERAL (
      SELECT x.runid, x.status, x.return_message, x.start_time, x.end_time
        FROM cron.job_run_details x
       WHERE x.jobid = j.jobid
       ORDER BY x.runid DESC
       LIMIT LEAST(GREATEST(COALESCE(cutover_old_runs.runs, 10), 1), 100)) d ON true
   WHERE j.jobid = ANY (cutover_old_runs.jobids)
   ORDER BY j.jobid, d.runid DESC;
END
$function$;
