CREATE OR REPLACE FUNCTION jobqueue.delete_cron_job(job_name text)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
DECLARE
  id bigint := jobqueue.cron_admin_job_id(delete_cron_job.job_name);
BEGIN
  DELETE FROM jobqueue.cron_jobs r WHERE r.jobid = id;
  RETURN cron.unschedule(id);
END
$function$;
