-- Enables or disables the app's cron job named job_name (CronJobStore.ToggleAsync:
-- POST admin/cron-jobs/toggle) through cron_admin_alter; returns the job. Raises 22023 when
-- new_active is NULL or the name is invalid, JQC04 when the app has no such job, JQC01 without
-- pg_cron (or without EXECUTE on cron.alter_job).
CREATE OR REPLACE FUNCTION jobqueue.toggle_cron_job(job_name text, new_active boolean)
 RETURNS SETOF jobqueue.cron_job_info
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
DECLARE
  id bigint := jobqueue.cron_admin_job_id(toggle_cron_job.job_name);
BEGIN
  IF new_active IS NULL THEN
    RAISE EXCEPTION 'active must be true or false' USING ERRCODE = '22023', COLUMN = 'active';
  END IF;
  PERFORM jobqueue.cron_admin_alter(id, NULL, new_active);
  RETURN QUERY SELECT o.* FROM jobqueue.cron_admin_own_jobs() o WHERE o.jobid = id;
END
$function$;
