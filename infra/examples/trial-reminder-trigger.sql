-- Example: a table trigger that enqueues a delayed JobQueue job, with a follow-up.
--
-- A user starts a trial (an insert into public.example_trials). 24 hours later a reminder goes out;
-- when the reminder has been sent, a pause check runs 48 hours after that and pauses trials that
-- were not converted. Both jobs are sql_function jobs calling the two functions below, so the example
-- runs on any PostgreSQL with JobQueue's schema; an http_request job (an edge function, a mail API)
-- works the same way.
--
--   * The trigger calls jobqueue.job_queue_enqueue(task_type, payload, run_at, max_attempts,
--     dedupe_key, triggered_by): the job is due at now() + 24 h.
--   * The dedupe key 'trial-reminder:<user>' relies on JobQueue's partial unique index (one pending or
--     running job per task type and dedupe key): a second trial of the same user while the first
--     reminder is still waiting adds no second reminder.
--   * The payload's "then" is the follow-up: when the reminder job succeeds, JobQueue enqueues the
--     pause check in the same transaction that records the success, due 48 h (172800 s) later,
--     with its own dedupe key.
--
-- To use it:
--   1. Run this file as the owner of JobQueue's schema (or a role that is a member of jobqueue_app):
--      the trigger function is SECURITY DEFINER and calls jobqueue.job_queue_enqueue.
--   2. Allow the two functions: SqlJobs__AllowedFunctions=public.example_trial_send_reminder,public.example_trial_pause_check
--   3. Insert a trial: INSERT INTO public.example_trials (user_id, email) VALUES ('u-1', 'u1@example.com');
--      GET /api/admin/jobs?taskType=sql_function shows the reminder, due in 24 h
--      (POST /api/admin/jobs/{id}/run-now runs it now; its success enqueues the pause check).
--
-- tests/JobQueue.Tests/FollowUps/TriggerExampleTests.cs applies this file to a test database and runs it.

CREATE TABLE IF NOT EXISTS public.example_trials (
  id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id       text        NOT NULL,
  email         text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  reminded_at   timestamptz,
  converted_at  timestamptz,
  paused_at     timestamptz
);

-- the reminder: here it only records that it was sent (a real one would queue an e-mail)
CREATE OR REPLACE FUNCTION public.example_trial_send_reminder(user_id text)
RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  WITH reminded AS (
    UPDATE public.example_trials t SET reminded_at = now()
     WHERE t.user_id = example_trial_send_reminder.user_id AND t.reminded_at IS NULL AND t.converted_at IS NULL
    RETURNING 1)
  SELECT count(*)::integer FROM reminded;
$$;

-- the pause check: trials still not converted are paused
CREATE OR REPLACE FUNCTION public.example_trial_pause_check(user_id text)
RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  WITH paused AS (
    UPDATE public.example_trials t SET paused_at = now()
     WHERE t.user_id = example_trial_pause_check.user_id AND t.converted_at IS NULL AND t.paused_at IS NULL
    RETURNING 1)
  SELECT count(*)::integer FROM paused;
$$;

REVOKE ALL ON FUNCTION public.example_trial_send_reminder(text), public.example_trial_pause_check(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.example_trial_send_reminder(text), public.example_trial_pause_check(text) TO jobqueue_app;

-- the trigger: one reminder per user while one is waiting, its follow-up the pause check
CREATE OR REPLACE FUNCTION public.example_trials_enqueue_reminder()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM jobqueue.job_queue_enqueue(
    'sql_function',
    jsonb_build_object(
      'function', 'public.example_trial_send_reminder',
      'args', jsonb_build_object('user_id', NEW.user_id),
      'then', jsonb_build_object(
        'taskType', 'sql_function',
        'payload', jsonb_build_object('function', 'public.example_trial_pause_check',
                                      'args', jsonb_build_object('user_id', NEW.user_id)),
        'delaySeconds', 172800,
        'dedupeKey', 'trial-pause-check:' || NEW.user_id)),
    now() + interval '24 hours',
    3,
    'trial-reminder:' || NEW.user_id,
    'trigger:example_trials');
  RETURN NEW;
END
$$;

REVOKE ALL ON FUNCTION public.example_trials_enqueue_reminder() FROM PUBLIC;

DROP TRIGGER IF EXISTS example_trials_enqueue_reminder ON public.example_trials;
CREATE TRIGGER example_trials_enqueue_reminder
  AFTER INSERT ON public.example_trials
  FOR EACH ROW EXECUTE FUNCTION public.example_trials_enqueue_reminder();
