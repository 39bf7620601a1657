-- Lease rescue: jobs still processing whose lease expired (their runner died or froze) go back to
-- pending, or to failed when they have no attempts left; the lost attempt is recorded as
-- 'lease_expired', and a job failed this way is written to job_queue_final_failures (the outbox
-- that FinalFailureReporter drains into the "failed for good" log event). run_at is kept, so the
-- job goes back to exactly its place in the queue. At most max_jobs (1..10,000) per call, oldest
-- lease first; rows locked elsewhere are skipped. Returns the number rescued. Called by
-- job_queue_claim when some lease has expired, and by the maintenance leader's LeaseRescuer
-- (MaintenanceStore.RescueExpiredAsync).
CREATE OR REPLACE FUNCTION jobqueue.job_queue_rescue_expired(max_jobs integer DEFAULT 100)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
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
$function$;
