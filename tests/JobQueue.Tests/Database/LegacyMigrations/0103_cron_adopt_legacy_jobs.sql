-- The adoption of 0101 as a function, so that it can be run again (and tested): the pg_cron jobs that
-- 0010's create_cron_job made before 0101 (their command is exactly what it wrote, checked by
-- writing it again from the parsed values) become the app's own jobs. Internal: granted to nobody.

CREATE OR REPLACE FUNCTION jobqueue.cron_admin_adopt_legacy_jobs()
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
DECLARE
  j record;
  m text[];
  task text;
  body text;
  dedupe text;
  n integer := 0;
BEGIN
  IF to_regclass('cron.job') IS NULL THEN
    RETURN 0;
  END IF;
  FOR j IN SELECT c.jobid, c.jobname, c.command, c.database FROM cron.job c WHERE c.username = current_user LOOP
    m := regexp_match(j.command,
      '^SELECT public\.job_queue_enqueue\((E?''(?:[^'']|'''')*''), (E?''(?:[^'']|'''')*'')::jsonb, now\(\), ([0-9]{1,3}), (NULL|E?''(?:[^'']|'''')*''), (E?''(?:[^'']|'''')*'')\)$');
    CONTINUE WHEN m IS NULL;
    task := jobqueue.cron_admin_unquote(m[1]);
    body := jobqueue.cron_admin_unquote(m[2]);
    dedupe := CASE WHEN m[4] = 'NULL' THEN NULL ELSE jobqueue.cron_admin_unquote(m[4]) END;
    CONTINUE WHEN task IS NULL OR body IS NULL OR (m[4] <> 'NULL' AND dedupe IS NULL)
               OR jobqueue.cron_admin_unquote(m[5]) IS DISTINCT FROM 'pg_cron:' || j.jobname;
    BEGIN
      CONTINUE WHEN format('SELECT public.job_queue_enqueue(%L, %L::jsonb, now(), %s, %L, %L)',
                           task, body::jsonb::text, m[3]::integer, dedupe, 'pg_cron:' || j.jobname) <> j.command;
    EXCEPTION WHEN invalid_text_representation THEN
      CONTINUE;
    END;
    INSERT INTO jobqueue.cron_jobs (jobid, task_type, payload, max_attempts, dedupe_key, target_database, command)
    VALUES (j.jobid, task, body::jsonb, m[3]::integer, dedupe, COALESCE(j.database, current_database()), j.command)
    ON CONFLICT (jobid) DO NOTHING;
    IF FOUND THEN
      n := n + 1;
    END IF;
  END LOOP;
  RETURN n;
END
$$;

SELECT jobqueue.cron_admin_adopt_legacy_jobs();

CALL jobqueue.lock_down();
