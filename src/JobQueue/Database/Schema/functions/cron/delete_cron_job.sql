-- Deletes the app's cron job named job_name (CronJobStore.DeleteAsync:
-- POST admin/cron-jobs/delete): its record in jobqueue.cron_jobs and the pg_cron job itself
-- (cron.unschedule, whose result it returns). Raises JQC04 when the app has no job of that name,
-- 22023 for an invalid name, JQC01 without pg_cron.
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
