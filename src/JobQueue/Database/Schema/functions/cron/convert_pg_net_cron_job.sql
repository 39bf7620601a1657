-- Converts a pg_cron job that calls pg_net (net.http_post / net.http_get) into one of the app's
-- cron jobs (PgNetCronStore.ConvertAsync: POST admin/cron-jobs/pg-net/convert): disables the
-- old job (cron_admin_alter; it is not deleted) and creates the new one through create_cron_job
-- (the remaining arguments are its own), in one transaction: both happen or neither. Called over the
-- schema owner's connection only: not in grants.sql (jobqueue_app may not execute it, so the runtime
-- login can switch off no pg_cron job), and it runs with its caller's rights.
-- old_command_md5 is the md5 of the command as get_pg_net_cron_jobs read it, so only what the
-- caller saw is converted. Returns the new job. SQLSTATEs: JQC04 old_job_id is not a pg_net job of
-- this role; JQC09 its command changed since it was read, or the new name is taken; JQC01 pg_cron
-- unavailable; 22023 an invalid argument (create_cron_job).
CREATE OR REPLACE FUNCTION jobqueue.convert_pg_net_cron_job(old_job_id bigint, old_command_md5 text, job_name text, job_schedule text, task_type text, task_payload jsonb, max_attempts integer DEFAULT 3, dedupe_key text DEFAULT NULL::text, target_database text DEFAULT NULL::text, job_priority integer DEFAULT 0)
 RETURNS SETOF jobqueue.cron_job_info
 LANGUAGE plpgsql
 SECURITY INVOKER
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
