-- pg_cron administration: SECURITY DEFINER wrappers over pg_cron, executable by jobqueue_app only.
--
-- Where they live: in pg_cron's own database (cron.database_name). The migrator applies this file
-- with the core set (so the default, one-database deployment has it) and, when Cron:ConnectionString
-- names another database, applies it there as well (journal job_queue_cron_schema_versions).
-- The bodies are PL/pgSQL, bound late: the file installs on a database without pg_cron, and the
-- wrappers then fail with SQLSTATE JQC01 ("pg_cron is not installed here").
--
-- Jobs belong to the functions' owner (the migrating user): pg_cron records current_user, which is
-- the owner inside SECURITY DEFINER, and its row-level security shows each role its own jobs only.
-- A created job's command enqueues into the target database (default: this one):
--   SELECT public.job_queue_enqueue('<task>', '<payload>'::jsonb, now(), <max>, <dedupe>, 'pg_cron:<name>')
-- every value written with format('%L'), so no input can leave its literal.
--
-- SQLSTATEs: JQC01 pg_cron unavailable (not installed / a needed pg_cron function not granted),
--            JQC04 no cron job with that name (API: 404), JQC09 name already taken (API: 409),
--            22023 invalid argument, with COLUMN set to the request field (API: 400).
-- Works with pg_cron 1.4 (Debian 12: cron.alter_job by id, granted explicitly) and newer.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'jobqueue_app') THEN
    -- roles are cluster-wide: another database's migration may create it at the same moment
    BEGIN
      CREATE ROLE jobqueue_app NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
END
$$;

-- internal checks (not granted to anyone) ---------------------------------------------------------
CREATE OR REPLACE FUNCTION cron_admin_require_pg_cron()
RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  IF to_regclass('cron.job') IS NULL THEN
    RAISE EXCEPTION 'pg_cron is not installed in database %', current_database()
      USING ERRCODE = 'JQC01',
            HINT = 'set Cron:ConnectionString to the database named by cron.database_name';
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION cron_admin_check_name(job_name text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  IF job_name IS NULL OR job_name !~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$' THEN
    RAISE EXCEPTION 'job name must be 1 to 63 characters: letters, digits, "_", "." or "-", starting with a letter or digit'
      USING ERRCODE = '22023', COLUMN = 'jobName';
  END IF;
END
$$;

-- 5 fields of digits and * , - / (what pg_cron 1.4 and every later version parse the same way);
-- pg_cron itself still validates the values when the job is stored.
CREATE OR REPLACE FUNCTION cron_admin_check_schedule(job_schedule text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  IF job_schedule IS NULL OR length(job_schedule) > 100
     OR job_schedule !~ '^[0-9*,/-]+ [0-9*,/-]+ [0-9*,/-]+ [0-9*,/-]+ [0-9*,/-]+$' THEN
    RAISE EXCEPTION 'schedule must be 5 space-separated cron fields (minute hour day-of-month month day-of-week) of digits and * , - /'
      USING ERRCODE = '22023', COLUMN = 'schedule';
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION cron_admin_job_id(job_name text)
RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  id bigint;
BEGIN
  PERFORM cron_admin_require_pg_cron();
  PERFORM cron_admin_check_name(job_name);
  SELECT j.jobid INTO id FROM cron.job j WHERE j.jobname = job_name AND j.username = current_user;
  IF id IS NULL THEN
    RAISE EXCEPTION 'no cron job named %', job_name USING ERRCODE = 'JQC04', COLUMN = 'jobName';
  END IF;
  RETURN id;
END
$$;

-- cron.alter_job is revoked from PUBLIC in pg_cron 1.4: say what to grant instead of a bare 42501
CREATE OR REPLACE FUNCTION cron_admin_alter(job_id bigint, new_schedule text, new_active boolean)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM cron.alter_job(job_id => job_id, schedule => new_schedule, active => new_active);
EXCEPTION WHEN insufficient_privilege THEN
  RAISE EXCEPTION 'the database role % may not call cron.alter_job', current_user
    USING ERRCODE = 'JQC01',
          HINT = format('as an admin: GRANT EXECUTE ON FUNCTION cron.alter_job(bigint,text,text,text,text,boolean) TO %I', current_user);
END
$$;

-- reads ----------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION get_cron_jobs()
RETURNS TABLE (jobid bigint, jobname text, schedule text, command text, database text, username text,
               active boolean, task_type text, last_run_status text, last_run_started_at timestamptz,
               last_run_finished_at timestamptz, last_run_message text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM cron_admin_require_pg_cron();
  RETURN QUERY
  SELECT j.jobid, j.jobname::text, j.schedule, j.command, j.database, j.username, j.active,
         replace((regexp_match(j.command, 'job_queue_enqueue\s*\(\s*''((?:[^'']|'''')*)''', 'i'))[1], '''''', ''''),
         r.status, r.start_time, r.end_time, r.return_message
    FROM cron.job j
    LEFT JOIN LATERAL (
      SELECT d.status, d.start_time, d.end_time, d.return_message
        FROM cron.job_run_details d
       WHERE d.jobid = j.jobid
       ORDER BY d.runid DESC
       LIMIT 1) r ON true
   WHERE j.username = current_user
   ORDER BY j.jobname, j.jobid;
END
$$;

CREATE OR REPLACE FUNCTION get_cron_job_runs("limit" integer DEFAULT 50)
RETURNS TABLE (runid bigint, jobid bigint, jobname text, status text, return_message text,
               start_time timestamptz, end_time timestamptz, database text, command text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM cron_admin_require_pg_cron();
  RETURN QUERY
  SELECT d.runid, d.jobid, j.jobname::text, d.status, d.return_message, d.start_time, d.end_time,
         d.database, d.command
    FROM cron.job_run_details d
    LEFT JOIN cron.job j ON j.jobid = d.jobid
   WHERE d.username = current_user
   ORDER BY d.runid DESC
   LIMIT LEAST(GREATEST(COALESCE(get_cron_job_runs."limit", 50), 1), 1000);
END
$$;

-- writes ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION create_cron_job(
  job_name        text,
  job_schedule    text,
  task_type       text,
  task_payload    jsonb   DEFAULT '{}'::jsonb,
  max_attempts    integer DEFAULT 3,
  dedupe_key      text    DEFAULT NULL,
  target_database text    DEFAULT NULL)
RETURNS TABLE (jobid bigint, jobname text, schedule text, command text, database text, username text, active boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  db      text  := COALESCE(create_cron_job.target_database, current_database());
  payload jsonb := COALESCE(create_cron_job.task_payload, '{}'::jsonb);
  tries   integer := COALESCE(create_cron_job.max_attempts, 3);
  cmd     text;
  new_id  bigint;
BEGIN
  PERFORM cron_admin_require_pg_cron();
  PERFORM cron_admin_check_name(create_cron_job.job_name);
  PERFORM cron_admin_check_schedule(create_cron_job.job_schedule);
  IF create_cron_job.task_type IS NULL OR length(create_cron_job.task_type) NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'task type must be 1 to 100 characters' USING ERRCODE = '22023', COLUMN = 'taskType';
  END IF;
  IF jsonb_typeof(payload) <> 'object' OR octet_length(payload::text) > 16384 THEN
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
  IF EXISTS (SELECT FROM cron.job j WHERE j.jobname = create_cron_job.job_name AND j.username = current_user) THEN
    RAISE EXCEPTION 'a cron job named % already exists', create_cron_job.job_name
      USING ERRCODE = 'JQC09', COLUMN = 'jobName';
  END IF;

  cmd := format('SELECT public.job_queue_enqueue(%L, %L::jsonb, now(), %s, %L, %L)',
                create_cron_job.task_type, payload::text, tries, create_cron_job.dedupe_key,
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

  RETURN QUERY
  SELECT j.jobid, j.jobname::text, j.schedule, j.command, j.database, j.username, j.active
    FROM cron.job j WHERE j.jobid = new_id;
END
$$;

CREATE OR REPLACE FUNCTION toggle_cron_job(job_name text, new_active boolean)
RETURNS TABLE (jobid bigint, jobname text, schedule text, command text, database text, username text, active boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  id bigint := cron_admin_job_id(toggle_cron_job.job_name);
BEGIN
  IF new_active IS NULL THEN
    RAISE EXCEPTION 'active must be true or false' USING ERRCODE = '22023', COLUMN = 'active';
  END IF;
  PERFORM cron_admin_alter(id, NULL, new_active);
  RETURN QUERY
  SELECT j.jobid, j.jobname::text, j.schedule, j.command, j.database, j.username, j.active
    FROM cron.job j WHERE j.jobid = id;
END
$$;

CREATE OR REPLACE FUNCTION update_cron_schedule(job_name text, new_schedule text)
RETURNS TABLE (jobid bigint, jobname text, schedule text, command text, database text, username text, active boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  id bigint := cron_admin_job_id(update_cron_schedule.job_name);
BEGIN
  PERFORM cron_admin_check_schedule(new_schedule);
  PERFORM cron_admin_alter(id, new_schedule, NULL);
  RETURN QUERY
  SELECT j.jobid, j.jobname::text, j.schedule, j.command, j.database, j.username, j.active
    FROM cron.job j WHERE j.jobid = id;
END
$$;

CREATE OR REPLACE FUNCTION delete_cron_job(job_name text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  RETURN cron.unschedule(cron_admin_job_id(delete_cron_job.job_name));
END
$$;

-- run history upkeep where pg_cron lives (the cleanup job calls this on the cron connection);
-- only this role's runs are visible and deletable (pg_cron's row-level security)
CREATE OR REPLACE FUNCTION trim_cron_job_runs(older_than timestamptz, batch_size integer DEFAULT 1000)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
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
                      ORDER BY x.runid
                      LIMIT LEAST(GREATEST(COALESCE(trim_cron_job_runs.batch_size, 1000), 1), 50000));
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

-- privileges: the wrappers for the app role only; the internal checks for nobody ----------------
DO $$
DECLARE
  f record;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure AS signature, p.proname
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public'
       AND (p.proname LIKE 'cron\_admin\_%'
            OR p.proname IN ('get_cron_jobs', 'get_cron_job_runs', 'create_cron_job', 'toggle_cron_job',
                             'update_cron_schedule', 'delete_cron_job', 'trim_cron_job_runs'))
  LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f.signature);
    IF f.proname NOT LIKE 'cron\_admin\_%' THEN
      EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO jobqueue_app', f.signature);
    END IF;
  END LOOP;
END
$$;
