CREATE OR REPLACE FUNCTION jobqueue.convert_pg_net_cron_job(old_job_id bigint, old_command_md5 text, job_name text, job_schedule text, task_type text, task_payload jsonb, max_attempts integer DEFAULT 3, dedupe_key text DEFAULT NULL::text, target_database text DEFAULT NULL::text, job_priority integer DEFAULT 0)
 RETURNS SETOF jobqueue.cron_job_info
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
DECLARE
  old_command text;
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  SELECT j.command INTO old_command
    FROM cron.job j
   WHERE j.jobid = convert_pg_net_cron_job.old_job_id AND j.command ~* '\mnet\s*\.\s*http_(post|get)\s*\(';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no pg_cron job % calls net.http_post or net.http_get', old_job_id USING ERRCODE = 'JQC04', COLUMN = 'jobName';
  END IF;
  IF md5(old_command) IS DISTINCT FROM convert_pg_net_cron_job.old_command_md5 THEN
    RAISE EXCEPTION 'the command of pg_cron job % changed since it was read: list the jobs and convert again', old_job_id
      USING ERRCODE = 'JQC09', COLUMN = 'jobName';
  END IF;

  PERFORM jobqueue.cron_admin_alter(convert_pg_net_cron_job.old_job_id, NULL, false);
  RETURN QUERY
  SELECT * FROM jobqueue.create_cron_job(convert_pg_net_cron_job.job_name, convert_pg_net_cron_job.job_schedule,
                                         convert_pg_net_cron_job.task_type, convert_pg_net_cron_job.task_payload,
                                         convert_pg_net_cron_job.max_attempts, convert_pg_net_cron_job.dedupe_key,
                                         convert_pg_net_cron_job.target_database, convert_pg_net_cron_job.job_priority);
END
$function$;
