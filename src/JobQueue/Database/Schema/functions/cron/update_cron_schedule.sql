-- Changes the schedule of the app's cron job named job_name (CronJobStore.RescheduleAsync:
-- POST admin/cron-jobs/schedule) through cron_admin_alter; returns the job. Raises 22023 for an
-- invalid name or schedule (cron_admin_check_schedule), JQC04 when the app has no such job, JQC01
-- without pg_cron (or without EXECUTE on cron.alter_job).
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
