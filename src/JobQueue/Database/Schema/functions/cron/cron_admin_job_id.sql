-- The pg_cron job id of the app's cron job named job_name (see cron_admin_own_jobs), for
-- toggle_cron_job, update_cron_schedule and delete_cron_job. Raises 22023 for an invalid name and
-- JQC04 when the app has no job of that name (a foreign job of that name is not found either).
-- Internal.
CREATE OR REPLACE FUNCTION jobqueue.cron_admin_job_id(job_name text)
 RETURNS bigint
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
DECLARE
  id bigint;
BEGIN
  PERFORM jobqueue.cron_admin_check_name(job_name);
  SELECT o.jobid INTO id FROM jobqueue.cron_admin_own_jobs() o WHERE o.jobname = job_name;
  IF id IS NULL THEN
    RAISE EXCEPTION 'no cron job named % is managed by JobQueue', job_name USING ERRCODE = 'JQC04', COLUMN = 'jobName';
  END IF;
  RETURN id;
END
$function$;
