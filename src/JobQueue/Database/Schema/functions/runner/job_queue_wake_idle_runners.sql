-- Trigger function of the runners' wake-ups: NOTIFY on channel 'job_queue' (which idle runners
-- LISTEN on) while some runner asked for wake-ups (job_queue_wakeup.idle_until in the future, set
-- by job_queue_set_runner_idle). One check, and at most one notification, per enqueue statement
-- whatever its size, and per row that an update makes due now; the claims and finishes of the hot
-- path never fire it.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_wake_idle_runners()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
BEGIN
  IF (SELECT w.idle_until > now() FROM job_queue_wakeup w WHERE w.id) THEN
    PERFORM pg_notify('job_queue', '');
  END IF;
  RETURN NULL;
END
$function$;

-- once per statement that inserts jobs (an enqueue of 10,000 jobs checks once)
CREATE OR REPLACE TRIGGER job_queue_wake_idle_runners AFTER INSERT ON jobqueue.job_queue FOR EACH STATEMENT EXECUTE FUNCTION jobqueue.job_queue_wake_idle_runners();

-- each row an update makes due now (retry, run-now, lease rescue); claims and finishes never match
CREATE OR REPLACE TRIGGER job_queue_wake_idle_runners_due AFTER UPDATE OF status, run_at ON jobqueue.job_queue FOR EACH ROW WHEN (((new.status = 'pending'::text) AND (new.run_at <= now()))) EXECUTE FUNCTION jobqueue.job_queue_wake_idle_runners();
