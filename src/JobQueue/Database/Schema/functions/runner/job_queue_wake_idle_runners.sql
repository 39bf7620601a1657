-- one check (and at most one notification) per enqueue call, whatever its size; and per row that
-- an update makes due now
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

CREATE OR REPLACE TRIGGER job_queue_wake_idle_runners AFTER INSERT ON jobqueue.job_queue FOR EACH STATEMENT EXECUTE FUNCTION jobqueue.job_queue_wake_idle_runners();

CREATE OR REPLACE TRIGGER job_queue_wake_idle_runners_due AFTER UPDATE OF status, run_at ON jobqueue.job_queue FOR EACH ROW WHEN (((new.status = 'pending'::text) AND (new.run_at <= now()))) EXECUTE FUNCTION jobqueue.job_queue_wake_idle_runners();
