-- The pg_cron jobs that call net.http_post / net.http_get and are not the app's own, for the pg_net
-- migration routes only (CronJobStore.GetPgNetJobsAsync: GET admin/cron-jobs/pg-net); the library
-- parses the commands into http_request payloads with secret references and never returns them.
-- Unlike every other cron wrapper this one returns foreign commands, so keys in the shapes Supabase
-- issues are masked here (pg_net_mask_keys) and never leave the database; command_md5 is the md5 of
-- the unmasked command, which convert_pg_net_cron_job checks. Only the jobs of this function's
-- owner are visible (pg_cron's row-level security). Raises JQC01 without pg_cron.
CREATE OR REPLACE FUNCTION jobqueue.get_pg_net_cron_jobs()
 RETURNS TABLE(jobid bigint, jobname text, schedule text, active boolean, database text, username text, command text, command_md5 text)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  RETURN QUERY
  SELECT j.jobid, j.jobname::text, j.schedule, j.active, j.database, j.username::text,
         jobqueue.pg_net_mask_keys(j.command), md5(j.command)
    FROM cron.job j
   WHERE j.command ~* '\mnet\s*\.\s*http_(post|get)\s*\('
     AND NOT EXISTS (SELECT 1 FROM jobqueue.cron_jobs r WHERE r.jobid = j.jobid AND r.command = j.command)
   ORDER BY j.jobname, j.jobid;
END
$function$;
