-- A runner going idle (idle_for > 0: wake me for new due jobs until now + idle_for, at most an
-- hour) or busy again (NULL or zero) (JobQueueStore.SetRunnerIdleAsync). Sets idle_until of the
-- single job_queue_wakeup row; an idle runner refreshes it on every poll, so a runner that died
-- stops asking within seconds. While it is in the future, job_queue_wake_idle_runners notifies
-- channel 'job_queue' of new due jobs; a busy queue sends no notifications (a NOTIFY on every
-- enqueue would serialize the enqueues' commits).
CREATE OR REPLACE FUNCTION jobqueue.job_queue_set_runner_idle(idle_for interval)
 RETURNS void
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  UPDATE job_queue_wakeup
     SET idle_until = CASE WHEN $1 > interval '0' THEN now() + LEAST($1, interval '1 hour') END
   WHERE id;
$function$;
