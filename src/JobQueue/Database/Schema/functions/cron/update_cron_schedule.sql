CREATE OR REPLACE FUNCTION jobqueue.update_cron_schedule(job_name text, new_schedule text)
 RETURNS SETOF jobqueue.cron_job_info
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
DECLARE
  id bigint := jobqueue.cron_admin_job_id(update_cron_schedule.job_name);
BEGIN
  PERFORM jobqueue.cron_admin_check_schedule(new_schedule);
  PERFORM jobqueue.cron_admin_alter(id, new_schedule, NULL);
  RETURN QUERY SELECT o.* FROM jobqueue.cron_admin_own_jobs() o WHERE o.jobid = id;
END
$function$;
