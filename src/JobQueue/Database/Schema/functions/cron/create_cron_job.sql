-- Schedules a pg_cron job that enqueues a job (CronJobStore.CreateAsync:
-- POST admin/cron-jobs/create; also the pg_net conversion). Its command is
--   SELECT jobqueue.job_queue_enqueue('<task>', '<payload>'::jsonb, now(), <max attempts>,
--                                     <dedupe key>, 'pg_cron:<name>'[, NULL, <priority>])
-- every value written with format('%L'), so that no input can leave its literal; the priority
-- appears only when it is not 0. The job runs in target_database (default: this one; another one
-- needs EXECUTE on cron.schedule_in_database). The job is recorded in jobqueue.cron_jobs with the
-- exact command, which makes it one of the app's jobs (cron_admin_own_jobs). A transaction-level
-- advisory lock per name serializes creators, so that the check that no job of this role has the
-- name (cron.schedule would overwrite it) holds until commit. Returns the new job.
-- SQLSTATEs: 22023 an invalid argument (COLUMN names the request field); JQC09 the name is taken;
-- JQC01 pg_cron unavailable, or cron.schedule_in_database not granted (the HINT says what to
-- grant).
CREATE OR REPLACE FUNCTION jobqueue.create_cron_job(job_name text, job_schedule text, task_type text, task_payload jsonb DEFAULT '{}'::jsonb, max_attempts integer DEFAULT 3, dedupe_key text DEFAULT NULL::text, target_database text DEFAULT NULL::text, job_priority integer DEFAULT 0)
 RETURNS SETOF jobqueue.cron_job_info
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
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

  -- the priority only when it is not the default: commands without one keep their shorter form
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
$function$;
