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
