-- pg_cron administration, scoped to the app's own jobs and moved to the schema `jobqueue`.
--
-- Before: the wrappers of 0010 listed, toggled, rescheduled and deleted every pg_cron job of their
-- owner and returned each job's `command`. On Supabase the owner is `postgres`, whose jobs include
-- pg_net calls with service keys in their commands. Now:
--   * the jobs the app manages are those create_cron_job made, recorded in jobqueue.cron_jobs with
--     the exact command it wrote; a job is the app's only while pg_cron still holds that command for
--     that job id (a command edited by hand makes the job foreign again);
--   * the wrappers see and change only those; every other pg_cron job is invisible to them (a name
--     taken by a foreign job is refused on create, never overwritten);
--   * they return the task type, payload, max attempts and dedupe key the app wrote, never SQL text;
--     the run history shows only the app's jobs' runs, without their command.
-- Jobs made by 0010's create_cron_job before this migration are adopted: a job of this role whose
-- command is exactly what that function wrote (checked by writing it again from the parsed values).
-- New commands call jobqueue.job_queue_enqueue directly; adopted ones keep calling
-- public.job_queue_enqueue (the compatibility wrapper).
--
-- SQLSTATEs as in 0010: JQC01 pg_cron unavailable, JQC04 no such job (of the app), JQC09 name taken,
-- 22023 invalid argument with COLUMN set to the request field.

DROP FUNCTION IF EXISTS public.get_cron_jobs();
DROP FUNCTION IF EXISTS public.get_cron_job_runs(integer);
DROP FUNCTION IF EXISTS public.create_cron_job(text, text, text, jsonb, integer, text, text);
DROP FUNCTION IF EXISTS public.toggle_cron_job(text, boolean);
DROP FUNCTION IF EXISTS public.update_cron_schedule(text, text);
DROP FUNCTION IF EXISTS public.delete_cron_job(text);
DROP FUNCTION IF EXISTS public.trim_cron_job_runs(timestamptz, integer);
DROP FUNCTION IF EXISTS public.cron_admin_job_id(text);
DROP FUNCTION IF EXISTS public.cron_admin_alter(bigint, text, boolean);
DROP FUNCTION IF EXISTS public.cron_admin_check_name(text);
DROP FUNCTION IF EXISTS public.cron_admin_check_schedule(text);
DROP FUNCTION IF EXISTS public.cron_admin_require_pg_cron();

CREATE TABLE IF NOT EXISTS jobqueue.cron_jobs (
  jobid            bigint      PRIMARY KEY,
  task_type        text        NOT NULL,
  payload          jsonb       NOT NULL,
  max_attempts     integer     NOT NULL,
  dedupe_key       text,
  target_database  text        NOT NULL,
  command          text        NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE jobqueue.cron_jobs ENABLE ROW LEVEL SECURITY;

-- what the wrappers return for one of the app's jobs: what the app wrote, never the command text
-- (guarded: a database that is both an app database and pg_cron's gets this file from both sets)
DO $$
BEGIN
  IF to_regtype('jobqueue.cron_job_info') IS NULL THEN
    CREATE TYPE jobqueue.cron_job_info AS (
      jobid bigint, jobname text, schedule text, active boolean, task_type text, payload jsonb,
      max_attempts integer, dedupe_key text, database text);
  END IF;
END
$$;

-- internal checks (granted to nobody) ----------------------------------------------------------------
CREATE OR REPLACE FUNCTION jobqueue.cron_admin_require_pg_cron()
RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
BEGIN
  IF to_regclass('cron.job') IS NULL THEN
    RAISE EXCEPTION 'pg_cron is not installed in database %', current_database()
      USING ERRCODE = 'JQC01',
            HINT = 'set Cron:ConnectionString to the database named by cron.database_name';
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION jobqueue.cron_admin_check_name(job_name text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
BEGIN
  IF job_name IS NULL OR job_name !~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$' THEN
    RAISE EXCEPTION 'job name must be 1 to 63 characters: letters, digits, "_", "." or "-", starting with a letter or digit'
      USING ERRCODE = '22023', COLUMN = 'jobName';
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION jobqueue.cron_admin_check_schedule(job_schedule text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
BEGIN
  IF job_schedule IS NULL OR length(job_schedule) > 100
     OR job_schedule !~ '^[0-9*,/-]+ [0-9*,/-]+ [0-9*,/-]+ [0-9*,/-]+ [0-9*,/-]+$' THEN
    RAISE EXCEPTION 'schedule must be 5 space-separated cron fields (minute hour day-of-month month day-of-week) of digits and * , - /'
      USING ERRCODE = '22023', COLUMN = 'schedule';
  END IF;
END
$$;

-- the value of a literal written by format('%L') / quote_literal, or NULL when the text is not
-- exactly such a literal
CREATE OR REPLACE FUNCTION jobqueue.cron_admin_unquote(literal text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
DECLARE
  v text;
BEGIN
  IF literal ~ '^E''.*''$' THEN
    v := replace(replace(substr(literal, 3, length(literal) - 3), '\\', '\'), '''''', '''');
  ELSIF literal ~ '^''.*''$' THEN
    v := replace(substr(literal, 2, length(literal) - 2), '''''', '''');
  ELSE
    RETURN NULL;
  END IF;
  RETURN CASE WHEN quote_literal(v) = literal THEN v END;
END
$$;

-- the app's jobs: recorded by create_cron_job, still holding the command it wrote, of this role
CREATE OR REPLACE FUNCTION jobqueue.cron_admin_own_jobs()
RETURNS SETOF jobqueue.cron_job_info
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  RETURN QUERY
  SELECT j.jobid, j.jobname::text, j.schedule, j.active, r.task_type, r.payload, r.max_attempts,
         r.dedupe_key, r.target_database
    FROM cron.job j
    JOIN jobqueue.cron_jobs r ON r.jobid = j.jobid AND r.command = j.command
   WHERE j.username = current_user;
END
$$;

CREATE OR REPLACE FUNCTION jobqueue.cron_admin_job_id(job_name text)
RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
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
$$;

-- cron.alter_job is revoked from PUBLIC in pg_cron 1.4: say what to grant instead of a bare 42501
CREATE OR REPLACE FUNCTION jobqueue.cron_admin_alter(job_id bigint, new_schedule text, new_active boolean)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
BEGIN
  PERFORM cron.alter_job(job_id => job_id, schedule => new_schedule, active => new_active);
EXCEPTION WHEN insufficient_privilege THEN
  RAISE EXCEPTION 'the database role % may not call cron.alter_job', current_user
    USING ERRCODE = 'JQC01',
          HINT = format('as an admin: GRANT EXECUTE ON FUNCTION cron.alter_job(bigint,text,text,text,text,boolean) TO %I', current_user);
END
$$;

-- adoption of the jobs 0010's create_cron_job made: its exact command, rebuilt from the parsed values
DO $$
DECLARE
  j record;
  m text[];
  task text;
  payload text;
  dedupe text;
  db text;
BEGIN
  IF to_regclass('cron.job') IS NULL THEN
    RETURN;
  END IF;
  FOR j IN SELECT c.jobid, c.jobname, c.command, c.database FROM cron.job c WHERE c.username = current_user LOOP
    m := regexp_match(j.command,
      '^SELECT public\.job_queue_enqueue\((E?''(?:[^'']|'''')*''), (E?''(?:[^'']|'''')*'')::jsonb, now\(\), ([0-9]{1,3}), (NULL|E?''(?:[^'']|'''')*''), (E?''(?:[^'']|'''')*'')\)$');
    CONTINUE WHEN m IS NULL;
    task := jobqueue.cron_admin_unquote(m[1]);
    payload := jobqueue.cron_admin_unquote(m[2]);
    dedupe := CASE WHEN m[4] = 'NULL' THEN NULL ELSE jobqueue.cron_admin_unquote(m[4]) END;
    CONTINUE WHEN task IS NULL OR payload IS NULL OR (m[4] <> 'NULL' AND dedupe IS NULL)
               OR jobqueue.cron_admin_unquote(m[5]) IS DISTINCT FROM 'pg_cron:' || j.jobname;
    BEGIN
      CONTINUE WHEN format('SELECT public.job_queue_enqueue(%L, %L::jsonb, now(), %s, %L, %L)',
                           task, payload::jsonb::text, m[3]::integer, dedupe, 'pg_cron:' || j.jobname) <> j.command;
    EXCEPTION WHEN invalid_text_representation THEN
      CONTINUE;
    END;
    db := COALESCE(j.database, current_database());
    INSERT INTO jobqueue.cron_jobs (jobid, task_type, payload, max_attempts, dedupe_key, target_database, command)
    VALUES (j.jobid, task, payload::jsonb, m[3]::integer, dedupe, db, j.command)
    ON CONFLICT (jobid) DO NOTHING;
  END LOOP;
END
$$;

-- reads ----------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION jobqueue.get_cron_jobs()
RETURNS TABLE (jobid bigint, jobname text, schedule text, active boolean, task_type text, payload jsonb,
               max_attempts integer, dedupe_key text, database text, last_run_status text,
               last_run_started_at timestamptz, last_run_finished_at timestamptz, last_run_message text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  RETURN QUERY
  SELECT o.jobid, o.jobname, o.schedule, o.active, o.task_type, o.payload, o.max_attempts, o.dedupe_key,
         o.database, r.status, r.start_time, r.end_time, r.return_message
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

CREATE OR REPLACE FUNCTION jobqueue.get_cron_job_runs("limit" integer DEFAULT 50)
RETURNS TABLE (runid bigint, jobid bigint, jobname text, status text, return_message text,
               start_time timestamptz, end_time timestamptz, database text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  RETURN QUERY
  SELECT d.runid, d.jobid, o.jobname, d.status, d.return_message, d.start_time, d.end_time, d.database
    FROM cron.job_run_details d
    JOIN jobqueue.cron_admin_own_jobs() o ON o.jobid = d.jobid
   ORDER BY d.runid DESC
   LIMIT LEAST(GREATEST(COALESCE(get_cron_job_runs."limit", 50), 1), 1000);
END
$$;

-- writes ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION jobqueue.create_cron_job(
  job_name        text,
  job_schedule    text,
  task_type       text,
  task_payload    jsonb   DEFAULT '{}'::jsonb,
  max_attempts    integer DEFAULT 3,
  dedupe_key      text    DEFAULT NULL,
  target_database text    DEFAULT NULL)
RETURNS SETOF jobqueue.cron_job_info
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
DECLARE
  db      text  := COALESCE(create_cron_job.target_database, current_database());
  body    jsonb := COALESCE(create_cron_job.task_payload, '{}'::jsonb);
  tries   integer := COALESCE(create_cron_job.max_attempts, 3);
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

  cmd := format('SELECT jobqueue.job_queue_enqueue(%L, %L::jsonb, now(), %s, %L, %L)',
                create_cron_job.task_type, body::text, tries, create_cron_job.dedupe_key,
                'pg_cron:' || create_cron_job.job_name);
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
  INSERT INTO jobqueue.cron_jobs (jobid, task_type, payload, max_attempts, dedupe_key, target_database, command)
  VALUES (new_id, create_cron_job.task_type, body, tries, create_cron_job.dedupe_key, db, cmd);

  RETURN QUERY SELECT o.* FROM jobqueue.cron_admin_own_jobs() o WHERE o.jobid = new_id;
END
$$;

CREATE OR REPLACE FUNCTION jobqueue.toggle_cron_job(job_name text, new_active boolean)
RETURNS SETOF jobqueue.cron_job_info
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
DECLARE
  id bigint := jobqueue.cron_admin_job_id(toggle_cron_job.job_name);
BEGIN
  IF new_active IS NULL THEN
    RAISE EXCEPTION 'active must be true or false' USING ERRCODE = '22023', COLUMN = 'active';
  END IF;
  PERFORM jobqueue.cron_admin_alter(id, NULL, new_active);
  RETURN QUERY SELECT o.* FROM jobqueue.cron_admin_own_jobs() o WHERE o.jobid = id;
END
$$;

CREATE OR REPLACE FUNCTION jobqueue.update_cron_schedule(job_name text, new_schedule text)
RETURNS SETOF jobqueue.cron_job_info
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
DECLARE
  id bigint := jobqueue.cron_admin_job_id(update_cron_schedule.job_name);
BEGIN
  PERFORM jobqueue.cron_admin_check_schedule(new_schedule);
  PERFORM jobqueue.cron_admin_alter(id, new_schedule, NULL);
  RETURN QUERY SELECT o.* FROM jobqueue.cron_admin_own_jobs() o WHERE o.jobid = id;
END
$$;

CREATE OR REPLACE FUNCTION jobqueue.delete_cron_job(job_name text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
DECLARE
  id bigint := jobqueue.cron_admin_job_id(delete_cron_job.job_name);
BEGIN
  DELETE FROM jobqueue.cron_jobs r WHERE r.jobid = id;
  RETURN cron.unschedule(id);
END
$$;

-- run history upkeep where pg_cron lives (the cleanup job calls this on the cron connection): the
-- runs of the app's own jobs only
CREATE OR REPLACE FUNCTION jobqueue.trim_cron_job_runs(older_than timestamptz, batch_size integer DEFAULT 1000)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
DECLARE
  n integer;
BEGIN
  IF to_regclass('cron.job_run_details') IS NULL THEN
    RETURN 0;
  END IF;
  DELETE FROM cron.job_run_details d
   WHERE d.runid IN (SELECT x.runid FROM cron.job_run_details x
                      WHERE x.end_time < trim_cron_job_runs.older_than
                        AND x.jobid IN (SELECT r.jobid FROM jobqueue.cron_jobs r)
                      ORDER BY x.runid
                      LIMIT LEAST(GREATEST(COALESCE(trim_cron_job_runs.batch_size, 1000), 1), 50000));
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

-- the RPC names existing callers use, in public; EXECUTE for the app role only -------------------------
CALL jobqueue.create_compat_wrappers(ARRAY['get_cron_jobs', 'get_cron_job_runs', 'create_cron_job',
                                           'toggle_cron_job', 'update_cron_schedule', 'delete_cron_job']);
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
