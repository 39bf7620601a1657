-- The queue gauges (QueueHealthStore.GetPendingGaugesAsync, sampled by QueueGaugeSampler; also part
-- of job_queue_health): due_pending = the pending count of job_queue_status_counts minus the
-- pending jobs due later (retries in backoff, jobs enqueued for a later time), and the age in
-- seconds of the oldest due job. Neither counts the due backlog, so neither depends on its size.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_pending_gauges(OUT due_pending bigint, OUT oldest_pending_age_seconds double precision)
 RETURNS record
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  SELECT GREATEST((SELECT COALESCE(sum(c.pending), 0) FROM job_queue_status_counts c)
                  - (SELECT count(*) FROM job_queue q WHERE q.status = 'pending' AND q.run_at > now()), 0)::bigint,
         COALESCE(extract(epoch FROM now() - (SELECT min(q.run_at) FROM job_queue q WHERE q.status = 'pending' AND q.run_at <= now())), 0)::double precision;
$function$;
