-- Deletes one bounded batch (1..50,000, oldest first) of audit entries older than older_than and
-- returns how many. The cleanup job calls it (AuditStore.PruneBatchAsync) until done, so that each
-- batch is a short transaction of its own.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_audit_prune(older_than timestamp with time zone, batch_size integer DEFAULT 1000)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
DECLARE
  n integer;
BEGIN
  WITH victims AS (
    SELECT a.id FROM job_queue_audit a WHERE a.at < older_than
     ORDER BY a.at LIMIT LEAST(GREATEST(COALESCE(batch_size, 1000), 1), 50000)
  ), gone AS (
    DELETE FROM job_queue_audit a USING victims v WHERE a.id = v.id RETURNING 1
  )
  SELECT count(*) INTO n FROM gone;
  RETURN n;
END
$function$;
