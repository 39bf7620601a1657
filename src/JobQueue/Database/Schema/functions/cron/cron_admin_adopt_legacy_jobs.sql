-- Adopts the pg_cron jobs of this role written in the legacy command form
--   SELECT public.job_queue_enqueue('<task>', '<payload>'::jsonb, now(), <max attempts>,
--                                   <dedupe key>, 'pg_cron:<name>')
-- (through the compatibility wrapper): a command that is exactly what that form gives for its
-- parsed values (checked by writing it again) is recorded in jobqueue.cron_jobs and so becomes one
-- of the app's jobs, managed by the cron wrappers. Returns the number adopted; 0 without pg_cron;
-- idempotent. Internal: not granted to the app and not called by the library (the schema owner may
-- run it).
CREATE OR REPLACE FUNCTION jobqueue.cron_admin_adopt_legacy_jobs()
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
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
$function$;
