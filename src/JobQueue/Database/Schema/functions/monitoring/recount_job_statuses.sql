-- Recounts job_queue_status_counts from scratch (SELECT jobqueue.recount_job_statuses(), as the
-- schema owner; not granted to the app), for an operator after writing the table with triggers
-- disabled (session_replication_role = replica, a restore with --disable-triggers). Taking the
-- table's SHARE ROW EXCLUSIVE lock waits for every writer in flight and holds new ones off until
-- the caller commits, so that no change falls between the count and the triggers. It reads every
-- row: about a tenth of a second per million.
CREATE OR REPLACE FUNCTION jobqueue.recount_job_statuses()
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
BEGIN
  LOCK TABLE job_queue IN SHARE ROW EXCLUSIVE MODE;
  DELETE FROM job_queue_status_counts;
  INSERT INTO job_queue_status_counts (shard, pending, processing, succeeded, failed, cancelled)
  SELECT 0, count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'processing'),
         count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER (WHERE status = 'failed'),
         count(*) FILTER (WHERE status = 'cancelled')
    FROM job_queue;
END
$function$;
