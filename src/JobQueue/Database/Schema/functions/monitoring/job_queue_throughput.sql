-- Finished attempts per minute by outcome (QueueThroughputStore.GetAsync:
-- GET admin/job-queue/throughput, the dashboard's charts): every minute of the window up to the
-- current one (1 minute to 7 days), oldest first, zeros included, summed over the rows that
-- count_job_attempts keeps per minute.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_throughput(time_window interval DEFAULT '01:00:00'::interval)
 RETURNS TABLE(minute timestamp with time zone, succeeded bigint, failed bigint, retried bigint, lease_expired bigint, cancelled bigint)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  SELECT m.minute, COALESCE(sum(c.succeeded), 0)::bigint, COALESCE(sum(c.failed), 0)::bigint,
         COALESCE(sum(c.retried), 0)::bigint, COALESCE(sum(c.lease_expired), 0)::bigint, COALESCE(sum(c.cancelled), 0)::bigint
    FROM generate_series(date_trunc('minute', now())
                           - (LEAST(GREATEST(COALESCE($1, interval '1 hour'), interval '1 minute'), interval '7 days') - interval '1 minute'),
                         date_trunc('minute', now()), interval '1 minute') AS m(minute)
    LEFT JOIN job_queue_minute_counts c ON c.minute = m.minute
   GROUP BY m.minute
   ORDER BY m.minute;
$function$;
