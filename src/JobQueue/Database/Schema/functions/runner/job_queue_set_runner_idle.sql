-- a runner going idle (idle_for > 0: wake me for new due jobs until now + idle_for) or busy again
-- (NULL or zero)
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
