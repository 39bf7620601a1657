-- pg_cron jobs made through the admin API carry a job priority (0131): create_cron_job takes it
-- (trailing, default 0) and writes it into the command it schedules; the app's jobs report it.
-- A pg_cron-set file: it runs in pg_cron's database too.

ALTER TABLE jobqueue.cron_jobs ADD COLUMN IF NOT EXISTS priority integer NOT NULL DEFAULT 0;

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_attribute a JOIN pg_type t ON a.attrelid = t.typrelid
                  WHERE t.oid = 'jobqueue.cron_job_info'::regtype AND a.attname = 'priority') THEN
    ALTER TYPE jobqueue.cron_job_info ADD ATTRIBUTE priority integer;
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION jobqueue.cron_admin_own_jobs()
RETURNS SETOF jobqueue.cron_job_info
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  RETURN QUERY
  SELECT j.jobid, j.jobname::text, j.schedule, j.active, r.task_type, r.payload, r.max_attempts,
         r.dedupe_key, r.target_database, r.priority
    FROM cron.job j
    JOIN jobqueue.cron_jobs r ON r.jobid = j.jobid AND r.command = j.command
   WHERE j.username = current_user;
END
$$;

DROP FUNCTION IF EXISTS public.create_cron_job(text, text, text, jsonb, integer, text, text);
DROP FUNCTION IF EXISTS jobqueue.create_cron_job(text, text, text, jsonb, integer, text, text);
CREATE FUNCTION jobqueue.create_cron_job(
  job_name        text,
  job_schedule    text,
  task_type       text,
  task_payload    jsonb   DEFAULT '{}'::jsonb,
  max_attempts    integer DEFAULT 3,
  dedupe_key      text    DEFAULT NULL,
  target_database text    DEFAULT NULL,
  job_priority    integer DEFAULT 0)
RETURNS SETOF jobqueue.cron_job_info
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
DECLARE
  db      text    := COALESCE(create_cron_job.target_database, current_database());
  body    jsonb   := COALESCE(create_cron_job.task_payload, '{}'::jsonb);
  tries   integer := COALESCE(create_cron_job.max_attempts, 3);
  prio    integer := COALESCE(create_cron_job.job_priority, 0);
  cmd     text;
  new_id  bigint;
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  PERFORM jobqueue.cron_admin_check_name(create_cron_job.job_name);
  PERFORM jobqueue.cron_admin_check_schedule(create_cron_job.job_schedule);
  IF create_cron_job.task_type IS NULL OR length(create_cron_job.task_type) NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'task type must be 1 to 100 characters' USING ERRCODE = '22023', COLUMN = 'taskType';
  END IF;
  IF jsonb_typeof(body) <> 'object' OR octet_length(body::text) > 16384 THEN
    RAISE EXCEPTION 'payload must be a JSON object of at most 16384 bytes' USING ERRCODE = '22023', COLUMN = 'payload';
  END IF;
  IF tries NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'max attempts must be between 1 and 100' USING ERRCODE = '22023', COLUMN = 'maxAttempts';
  END IF;
  IF prio NOT BETWEEN -100 AND 100 THEN
    RAISE EXCEPTION 'priority must be between -100 and 100' USING ERRCODE = '22023', COLUMN = 'priority';
  END IF;
  IF create_cron_job.dedupe_key IS NOT NULL AND length(create_cron_job.dedupe_key) NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION 'dedupe key must be 1 to 200 characters' USING ERRCODE = '22023', COLUMN = 'dedupeKey';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_database d WHERE d.datname = db) THEN
    RAISE EXCEPTION 'database % does not exist', db USING ERRCODE = '22023', COLUMN = 'database';
  END IF;

  -- one creator per name at a time, so that the existence check below holds until commit
  PERFORM pg_advisory_xact_lock(hashtext('jobqueue.cron_job:' || create_cron_job.job_name));
  -- any job of this role with that name, the app's or not: cron.schedule would overwrite it
  IF EXISTS (SELECT FROM cron.job j WHERE j.jobname = create_cron_job.job_name AND j.username = current_user) THEN
    RAISE EXCEPTION 'a cron job named % already exists', create_cron_job.job_name
      USING ERRCODE = 'JQC09', COLUMN = 'jobName';
  END IF;

  -- the priority only when it is not the default: commands stay as 0101 wrote them otherwise
  cmd := CASE WHEN prio = 0
              THEN format('SELECT jobqueue.job_queue_enqueue(%L, %L::jsonb, now(), %s, %L, %L)',
                          create_cron_job.task_type, body::text, tries, create_cron_job.dedupe_key,
                          'pg_cron:' || create_cron_job.job_name)
              ELSE format('SELECT jobqueue.job_queue_enqueue(%L, %L::jsonb, now(), %s, %L, %L, NULL, %s)',
                          create_cron_job.task_type, body::text, tries, create_cron_job.dedupe_key,
                          'pg_cron:' || create_cron_job.job_name, prio)
         END;
  IF db = current_database() THEN
    new_id := cron.schedule(create_cron_job.job_name, create_cron_job.job_schedule, cmd);
  ELSE
    BEGIN
      new_id := cron.schedule_in_database(create_cron_job.job_name, create_cron_job.job_schedule, cmd, db);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION 'the database role % may not call cron.schedule_in_database', current_user
        USING ERRCODE = 'JQC01',
              HINT = format('as an admin: GRANT EXECUTE ON FUNCTION cron.schedule_in_database(text,text,text,text,text,boolean) TO %I', current_user);
    END;
  END IF;

  DELETE FROM jobqueue.cron_jobs r WHERE r.jobid = new_id;
  INSERT INTO jobqueue.cron_jobs (jobid, task_type, payload, max_attempts, dedupe_key, target_database, command, priority)
  VALUES (new_id, create_cron_job.task_type, body, tries, create_cron_job.dedupe_key, db, cmd, prio);

  RETURN QUERY SELECT o.* FROM jobqueue.cron_admin_own_jobs() o WHERE o.jobid = new_id;
END
$$;

-- get_cron_jobs returns the priority too
DROP FUNCTION IF EXISTS public.get_cron_jobs();
DROP FUNCTION IF EXISTS jobqueue.get_cron_jobs();
CREATE FUNCTION jobqueue.get_cron_jobs()
RETURNS TABLE (jobid bigint, jobname text, schedule text, active boolean, task_type text, payload jsonb,
               max_attempts integer, dedupe_key text, database text, priority integer, last_run_status text,
               last_run_started_at timestamptz, last_run_finished_at timestamptz, last_run_message text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  RETURN QUERY
  SELECT o.jobid, o.jobname, o.schedule, o.active, o.task_type, o.payload, o.max_attempts, o.dedupe_key,
         o.database, o.priority, r.status, r.start_time, r.end_time, r.return_message
    FROM jobqueue.cron_admin_own_jobs() o
    LEFT JOIN LATERAL (
      SELECT d.status, d.start_time, d.end_time, d.return_message
        FROM cron.job_run_details d
       WHERE d.jobid = o.jobid
       ORDER BY d.runid DESC
       LIMIT 1) r ON true
   ORDER BY o.jobname, o.jobid;
END
$$;

CALL jobqueue.create_compat_wrappers(ARRAY['get_cron_jobs', 'create_cron_job', 'toggle_cron_job', 'update_cron_schedule']);
CALL jobqueue.lock_down();
DO $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['get_cron_jobs', 'get_cron_job_runs', 'create_cron_job', 'toggle_cron_job',
                              'update_cron_schedule', 'delete_cron_job', 'trim_cron_job_runs'] LOOP
    CALL jobqueue.grant_app_execute(name);
  END LOOP;
END
$$;
