-- The queue's and the Game Platform's tables and functions move from `public` to `jobqueue` (see
-- 0100 for why). Moving keeps every object's identity: indexes, sequences, triggers, row-level
-- security and the functions' bodies go along; each function's search_path is pinned to
-- `jobqueue, pg_temp` (schemas only the owner can create objects in), so an object someone else
-- creates in `public` can never shadow one the functions use.
-- The library calls jobqueue.<function> directly; the RPC names existing callers use stay in
-- `public` as compatibility wrappers (jobqueue.create_compat_wrappers).

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['job_queue', 'job_queue_attempts', 'job_queue_settings', 'job_queue_schedule_ticks',
                           'job_queue_wakeup', 'game_platform_competitors', 'game_platform_activity',
                           'game_platform_totals'] LOOP
    IF to_regclass('public.' || t) IS NOT NULL AND to_regclass('jobqueue.' || t) IS NULL THEN
      EXECUTE format('ALTER TABLE public.%I SET SCHEMA jobqueue', t);
    END IF;
  END LOOP;
END
$$;

DO $$
DECLARE
  f record;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure AS signature
      FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace AND p.prokind = 'f'
       AND (p.proname LIKE 'job\_queue\_%' OR p.proname LIKE 'game\_platform\_%')
       AND obj_description(p.oid, 'pg_proc') IS DISTINCT FROM 'jobqueue: compatibility wrapper of jobqueue.' || p.proname
  LOOP
    EXECUTE format('ALTER FUNCTION %s SET SCHEMA jobqueue', f.signature);
  END LOOP;
END
$$;

-- replaced by jobqueue.grant_app_execute
DROP PROCEDURE IF EXISTS public.jobqueue_grant_app_execute(text);

DO $$
DECLARE
  f record;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure AS signature
      FROM pg_proc p
     WHERE p.pronamespace = 'jobqueue'::regnamespace AND p.prokind = 'f'
       AND (p.proname LIKE 'job\_queue\_%' OR p.proname LIKE 'game\_platform\_%')
  LOOP
    EXECUTE format('ALTER FUNCTION %s SET search_path = jobqueue, pg_temp', f.signature);
  END LOOP;
END
$$;

CALL jobqueue.create_compat_wrappers(ARRAY[
  'job_queue_enqueue', 'job_queue_enqueue_many', 'job_queue_claim', 'job_queue_mark_succeeded',
  'job_queue_mark_failed', 'job_queue_retry', 'job_queue_cancel', 'job_queue_run_now',
  'job_queue_get_settings', 'job_queue_set_settings', 'job_queue_list', 'job_queue_get',
  'job_queue_get_attempts', 'job_queue_health', 'job_queue_cleanup_batch']);

CALL jobqueue.lock_down();
CALL jobqueue.grant_app_execute('job\_queue\_%');
CALL jobqueue.grant_app_execute('game\_platform\_%');
