-- Trigger function of the throughput counters (job_queue_minute_counts, read by
-- job_queue_throughput): the attempts a statement inserted into the attempt history, counted by
-- minute and outcome, added to one of 8 rows of each minute chosen at random, so that runners
-- finishing in the same minute rarely wait for each other's commit. One upsert per statement (e.g.
-- per batch finish), not per attempt.
CREATE OR REPLACE FUNCTION jobqueue.count_job_attempts()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
BEGIN
  INSERT INTO job_queue_minute_counts AS c (minute, shard, succeeded, failed, retried, lease_expired, cancelled)
  SELECT date_trunc('minute', a.finished_at), floor(random() * 8)::smallint,
         count(*) FILTER (WHERE a.outcome = 'succeeded'), count(*) FILTER (WHERE a.outcome = 'failed'),
         count(*) FILTER (WHERE a.outcome = 'retry'), count(*) FILTER (WHERE a.outcome = 'lease_expired'),
         count(*) FILTER (WHERE a.outcome = 'cancelled')
    FROM new_attempts a
   GROUP BY 1
   ORDER BY 1
  ON CONFLICT (minute, shard) DO UPDATE
    SET succeeded = c.succeeded + EXCLUDED.succeeded, failed = c.failed + EXCLUDED.failed,
        retried = c.retried + EXCLUDED.retried, lease_expired = c.lease_expired + EXCLUDED.lease_expired,
        cancelled = c.cancelled + EXCLUDED.cancelled;
  RETURN NULL;
END
$function$;

-- every statement that inserts into the attempt history (one upsert per batch finish)
CREATE OR REPLACE TRIGGER job_queue_count_attempts AFTER INSERT ON jobqueue.job_queue_attempts REFERENCING NEW TABLE AS new_attempts FOR EACH STATEMENT EXECUTE FUNCTION jobqueue.count_job_attempts();
