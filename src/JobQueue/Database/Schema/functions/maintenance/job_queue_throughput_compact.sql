-- Upkeep of the throughput counters, by the cleanup job (QueueThroughputStore.PruneAsync): deletes
-- the minutes older than older_than (returns how many) and folds the shards of minutes older than
-- an hour into shard 0 (nobody writes those minutes any more).
CREATE OR REPLACE FUNCTION jobqueue.job_queue_throughput_compact(older_than timestamp with time zone)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
DECLARE
  n integer;
BEGIN
  WITH gone AS (DELETE FROM job_queue_minute_counts c WHERE c.minute < older_than RETURNING c.minute)
  SELECT count(DISTINCT g.minute) INTO n FROM gone g;
  WITH folded AS (
    DELETE FROM job_queue_minute_counts c
     WHERE c.minute < date_trunc('minute', now()) - interval '1 hour' AND c.shard <> 0
    RETURNING c.*
  )
  INSERT INTO job_queue_minute_counts AS c (minute, shard, succeeded, failed, retried, lease_expired, cancelled)
  SELECT f.minute, 0, sum(f.succeeded), sum(f.failed), sum(f.retried), sum(f.lease_expired), sum(f.cancelled)
    FROM folded f
   GROUP BY f.minute
  ON CONFLICT (minute, shard) DO UPDATE
    SET succeeded = c.succeeded + EXCLUDED.succeeded, failed = c.failed + EXCLUDED.failed,
        retried = c.retried + EXCLUDED.retried, lease_expired = c.lease_expired + EXCLUDED.lease_expired,
        cancelled = c.cancelled + EXCLUDED.cancelled;
  RETURN n;
END
$function$;
