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
