-- Trigger function of the job counts by status (job_queue_status_counts), which health, the
-- dashboard and the queue gauges read instead of counting the table: each statement's deltas (from
-- its transition tables) are added to one of 64 rows chosen at random, so that concurrent claims
-- and finishes rarely meet on a row (one counter row would serialize them until their commits). One
-- upsert per statement, none when no status changed; a TRUNCATE empties the counters. The counts
-- are exact and transactional and follow every writer (the functions, pg_cron's enqueues, the
-- cleanup, plain SQL); after writes with triggers disabled, recount_job_statuses rebuilds them.
CREATE OR REPLACE FUNCTION jobqueue.count_job_statuses()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
DECLARE
  d_pending bigint; d_processing bigint; d_succeeded bigint; d_failed bigint; d_cancelled bigint;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM job_queue_status_counts;
    RETURN NULL;
  ELSIF TG_OP = 'INSERT' THEN
    SELECT count(*) FILTER (WHERE r.status = 'pending'), count(*) FILTER (WHERE r.status = 'processing'),
           count(*) FILTER (WHERE r.status = 'succeeded'), count(*) FILTER (WHERE r.status = 'failed'),
           count(*) FILTER (WHERE r.status = 'cancelled')
      INTO d_pending, d_processing, d_succeeded, d_failed, d_cancelled
      FROM new_rows r;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT -count(*) FILTER (WHERE r.status = 'pending'), -count(*) FILTER (WHERE r.status = 'processing'),
           -count(*) FILTER (WHERE r.status = 'succeeded'), -count(*) FILTER (WHERE r.status = 'failed'),
           -count(*) FILTER (WHERE r.status = 'cancelled')
      INTO d_pending, d_processing, d_succeeded, d_failed, d_cancelled
      FROM old_rows r;
  ELSE
    SELECT n.pending - o.pending, n.processing - o.processing, n.succeeded - o.succeeded,
           n.failed - o.failed, n.cancelled - o.cancelled
      INTO d_pending, d_processing, d_succeeded, d_failed, d_cancelled
      FROM (SELECT count(*) FILTER (WHERE r.status = 'pending') AS pending, count(*) FILTER (WHERE r.status = 'processing') AS processing,
                   count(*) FILTER (WHERE r.status = 'succeeded') AS succeeded, count(*) FILTER (WHERE r.status = 'failed') AS failed,
                   count(*) FILTER (WHERE r.status = 'cancelled') AS cancelled
              FROM new_rows r) n,
           (SELECT count(*) FILTER (WHERE r.status = 'pending') AS pending, count(*) FILTER (WHERE r.status = 'processing') AS processing,
                   count(*) FILTER (WHERE r.status = 'succeeded') AS succeeded, count(*) FILTER (WHERE r.status = 'failed') AS failed,
                   count(*) FILTER (WHERE r.status = 'cancelled') AS cancelled
              FROM old_rows r) o;
  END IF;
  IF d_pending <> 0 OR d_processing <> 0 OR d_succeeded <> 0 OR d_failed <> 0 OR d_cancelled <> 0 THEN
    INSERT INTO job_queue_status_counts AS c (shard, pending, processing, succeeded, failed, cancelled)
    VALUES (floor(random() * 64)::smallint, d_pending, d_processing, d_succeeded, d_failed, d_cancelled)
    ON CONFLICT (shard) DO UPDATE
      SET pending = c.pending + EXCLUDED.pending, processing = c.processing + EXCLUDED.processing,
          succeeded = c.succeeded + EXCLUDED.succeeded, failed = c.failed + EXCLUDED.failed,
          cancelled = c.cancelled + EXCLUDED.cancelled;
  END IF;
  RETURN NULL;
END
$function$;

-- every DELETE statement on job_queue (the cleanup, plain SQL)
CREATE OR REPLACE TRIGGER job_queue_count_deletes AFTER DELETE ON jobqueue.job_queue REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION jobqueue.count_job_statuses();

-- every INSERT statement on job_queue (an enqueue call, whatever its size)
CREATE OR REPLACE TRIGGER job_queue_count_inserts AFTER INSERT ON jobqueue.job_queue REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION jobqueue.count_job_statuses();

-- a TRUNCATE of job_queue (the counters are emptied)
CREATE OR REPLACE TRIGGER job_queue_count_truncates AFTER TRUNCATE ON jobqueue.job_queue FOR EACH STATEMENT EXECUTE FUNCTION jobqueue.count_job_statuses();

-- every UPDATE statement on job_queue (one that changes no status writes nothing)
CREATE OR REPLACE TRIGGER job_queue_count_updates AFTER UPDATE ON jobqueue.job_queue REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION jobqueue.count_job_statuses();
