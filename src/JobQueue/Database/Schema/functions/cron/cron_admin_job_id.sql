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
