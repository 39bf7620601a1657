-- Deletes one bounded batch (1..50,000) of finished jobs (succeeded, failed, cancelled) completed
-- before older_than, oldest first, with their attempt history, and returns the number of jobs
-- deleted; rows locked elsewhere are skipped. The attempt history has no foreign key to the job (it
-- would cost a lookup and a row lock per attempt): this is the only function that deletes jobs, and
-- it deletes their attempts in the same statement. The cleanup job (CleanupHandler, via
-- JobCleanupStore.CleanupBatchAsync) calls it until done, each batch its own short transaction.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_cleanup_batch(older_than timestamp with time zone, batch_size integer DEFAULT 1000)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
DECLARE
  n integer;
BEGIN
  WITH victims AS (
    SELECT q.id FROM job_queue q
     WHERE q.status IN ('succeeded', 'failed', 'cancelled') AND q.completed_at < older_than
     ORDER BY q.completed_at
     LIMIT LEAST(GREATEST(COALESCE(batch_size, 1000), 1), 50000)
       FOR UPDATE SKIP LOCKED
  ), gone AS (
    DELETE FROM job_queue j USING victims v WHERE j.id = v.id RETURNING j.id
  ), history AS (
    -- the attempts go with their job (found by job_queue_attempts_job_idx; there is no foreign key)
    DELETE FROM job_queue_attempts a WHERE a.job_id = ANY (ARRAY(SELECT g.id FROM gone g))
  )
  SELECT count(*) INTO n FROM gone;
  RETURN n;
END
$function$;
