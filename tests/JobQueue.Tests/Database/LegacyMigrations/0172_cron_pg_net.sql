-- The way off pg_net: the pg_cron jobs that call net.http_post / net.http_get, for the migration
-- routes only (GET admin/cron-jobs/pg-net, POST admin/cron-jobs/pg-net/convert). Unlike every other
-- cron wrapper (0101), jobqueue.get_pg_net_cron_jobs returns foreign commands: the library parses them
-- into http_request payloads with secret references and never returns the command text. As a second
-- guard, keys in the shapes Supabase issues (JWTs, sb_secret_/sb_publishable_ keys) are masked here,
-- so they never leave the database; the md5 of the unmasked command lets the conversion check that it
-- converts what it read. Which jobs are seen: those of this function's owner (pg_cron's row-level
-- security), i.e. the jobs of the role that owns JobQueue's schema (postgres on Supabase).
--
-- jobqueue.convert_pg_net_cron_job disables the old job (cron.alter_job, not deleted) and creates the
-- new one through jobqueue.create_cron_job, in one transaction: both happen or neither.
-- SQLSTATEs as in 0101: JQC04 no such pg_net job, JQC09 the command changed since it was read / name taken.

CREATE OR REPLACE FUNCTION jobqueue.pg_net_mask_keys(command text)
RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
  SELECT regexp_replace(
           regexp_replace(command, 'eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*', 'redacted-jwt', 'g'),
           'sb_(secret|publishable)_[A-Za-z0-9_-]+', 'redacted-key', 'g');
$$;

CREATE OR REPLACE FUNCTION jobqueue.get_pg_net_cron_jobs()
RETURNS TABLE (jobid bigint, jobname text, schedule text, active boolean, database text, username text,
               command text, command_md5 text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  RETURN QUERY
  SELECT j.jobid, j.jobname::text, j.schedule, j.active, j.database, j.username::text,
         jobqueue.pg_net_mask_keys(j.command), md5(j.command)
    FROM cron.job j
   WHERE j.command ~* '\mnet\s*\.\s*http_(post|get)\s*\('
     AND NOT EXISTS (SELECT 1 FROM jobqueue.cron_jobs r WHERE r.jobid = j.jobid AND r.command = j.command)
   ORDER BY j.jobname, j.jobid;
END
$$;

CREATE OR REPLACE FUNCTION jobqueue.convert_pg_net_cron_job(
  old_job_id      bigint,
  old_command_md5 text,
  job_name        text,
  job_schedule    text,
  task_type       text,
  task_payload    jsonb,
  max_attempts    integer DEFAULT 3,
  dedupe_key      text    DEFAULT NULL,
  target_database text    DEFAULT NULL,
  job_priority    integer DEFAULT 0)
RETURNS SETOF jobqueue.cron_job_info
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
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
$$;

CALL jobqueue.lock_down();
CALL jobqueue.grant_app_execute('get\_pg\_net\_cron\_jobs');
CALL jobqueue.grant_app_execute('convert\_pg\_net\_cron\_job');
