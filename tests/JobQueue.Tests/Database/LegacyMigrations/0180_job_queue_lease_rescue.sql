-- Lease rescue: a rescued job keeps its place, and a job that runs out of attempts in a rescue is
-- reported like any other final failure.
--
-- Place: the rescue used to set run_at = now(), which sent a crashed runner's job behind the whole
-- backlog (a job abandoned early in a 20,000-job drain ran again 160 s later). It now keeps the
-- job's run_at; with the claim ordered by priority, then (run_at, id) (0132) the job goes back to
-- exactly where it was, i.e. ahead of every job of its priority that was due after it (task limits,
-- partitions, rate limits and pauses apply to it as to any job). 0132's claim rescues through this
-- function (when some lease has expired) and so does the maintainer on its own schedule
-- (Maintenance/QueueMaintainer.cs): the claim keeps rescuing, so every busy runner brings a dead
-- runner's jobs back at once and legacy callers of job_queue_claim(limit) keep that behaviour.
--
-- Final failures: a job whose last attempt's lease expired used to be failed inside SQL with no log
-- event, so the "failed for good" alert never fired for it. The rescue (whoever calls it: a claim,
-- or the maintainer on its schedule) now also writes such jobs to job_queue_final_failures, an
-- outbox that the maintainer drains (job_queue_take_final_failures, in the transaction that logs
-- them) into the same EventId 1003 "failed for good" event and jobqueue.jobs.failed count as the
-- runner's own final failures (Maintenance/FinalFailureReporter.cs).

CREATE TABLE IF NOT EXISTS jobqueue.job_queue_final_failures (
  id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id        uuid        NOT NULL,
  task_type     text        NOT NULL,
  attempt       integer     NOT NULL,
  max_attempts  integer     NOT NULL,
  runner_id     text,
  error         text,
  duration_ms   integer     NOT NULL DEFAULT 0,
  failed_at     timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION jobqueue.job_queue_rescue_expired(max_jobs integer DEFAULT 100)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
DECLARE
  n integer;
BEGIN
  WITH expired AS (
    SELECT j.id, j.task_type, j.attempts, j.max_attempts, j.locked_by, j.started_at
      FROM job_queue j
     WHERE j.status = 'processing' AND j.locked_until < now()
     ORDER BY j.locked_until
     LIMIT LEAST(GREATEST(COALESCE(max_jobs, 100), 1), 10000)
       FOR UPDATE SKIP LOCKED
  ), rescued AS (
    -- run_at stays: the job keeps its place in the queue
    UPDATE job_queue j
       SET status       = CASE WHEN e.attempts >= e.max_attempts THEN 'failed' ELSE 'pending' END,
           last_error   = 'lease expired: runner ' || COALESCE(e.locked_by, '?')
                          || ' did not finish attempt ' || e.attempts,
           locked_by    = NULL,
           locked_until = NULL,
           completed_at = CASE WHEN e.attempts >= e.max_attempts THEN now() END,
           updated_at   = now()
      FROM expired e
     WHERE j.id = e.id
    RETURNING j.id, j.status, j.last_error
  ), timed AS (
    SELECT e.*, r.status, r.last_error,
           GREATEST(0, (extract(epoch FROM now() - COALESCE(e.started_at, now())) * 1000)::integer) AS duration_ms
      FROM expired e JOIN rescued r ON r.id = e.id
  ), logged AS (
    INSERT INTO job_queue_attempts (job_id, attempt, runner_id, started_at, outcome, error, duration_ms)
    SELECT t.id, t.attempts, t.locked_by, COALESCE(t.started_at, now()), 'lease_expired',
           'lease expired before the attempt finished', t.duration_ms
      FROM timed t
    RETURNING 1
  ), final AS (
    INSERT INTO job_queue_final_failures (job_id, task_type, attempt, max_attempts, runner_id, error, duration_ms)
    SELECT t.id, t.task_type, t.attempts, t.max_attempts, t.locked_by, t.last_error, t.duration_ms
      FROM timed t
     WHERE t.status = 'failed'
  )
  SELECT count(*) INTO n FROM logged;
  RETURN n;
END
$$;

-- The oldest unreported final failures, deleted: call it in a transaction and commit once they are
-- logged, so that a reporter that dies before its commit leaves them for the next one.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_take_final_failures(max_rows integer DEFAULT 100)
RETURNS TABLE (job_id uuid, task_type text, attempt integer, max_attempts integer, runner_id text,
               error text, duration_ms integer, failed_at timestamptz)
LANGUAGE sql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
  DELETE FROM job_queue_final_failures f
   WHERE f.id = ANY (ARRAY(
           SELECT o.id FROM job_queue_final_failures o
            ORDER BY o.id
            LIMIT LEAST(GREATEST(COALESCE($1, 100), 1), 10000)
              FOR UPDATE SKIP LOCKED))
  RETURNING f.job_id, f.task_type, f.attempt, f.max_attempts, f.runner_id, f.error, f.duration_ms, f.failed_at;
$$;

CALL jobqueue.lock_down();
CALL jobqueue.grant_app_execute('job\_queue\_rescue\_expired');
CALL jobqueue.grant_app_execute('job\_queue\_take\_final\_failures');
