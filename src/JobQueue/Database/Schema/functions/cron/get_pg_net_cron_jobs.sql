-- The pg_cron jobs whose command mentions net.http_post / net.http_get and that are not the app's
-- own, for the pg_net migration routes only (PgNetCronStore.GetJobsAsync: GET admin/cron-jobs/pg-net),
-- which the app calls over the schema owner's connection (Database:MigrationConnectionString), never
-- as its runtime login: this function is not in grants.sql, so jobqueue_app may not execute it, and
-- it runs with its caller's rights (the owner, who may read its own pg_cron jobs anyway). The library
-- keeps only the commands that are one net.http_* call (PgNetCommandShape.IsSingleCall: not a
-- mention in a comment, not a second statement), parses them and returns only parsed fields, never a
-- command or a header value. Keys in the shapes Supabase issues are masked here (pg_net_mask_keys);
-- command_md5 is the md5 of the unmasked command, which convert_pg_net_cron_job checks. Only the
-- caller's own jobs are visible (pg_cron's row-level security). Raises JQC01 without pg_cron.
CREATE OR REPLACE FUNCTION jobqueue.get_pg_net_cron_jobs()
 RETURNS TABLE(jobid bigint, jobname text, schedule text, active boolean, database text, username text, command text, command_md5 text)
 LANGUAGE plpgsql
 STABLE SECURITY INVOKER
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
