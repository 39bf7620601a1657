-- Heartbeat (JobQueueStore.ExtendLeasesAsync): a runner extends to now() + lease the leases of the
-- jobs it is still running, so that a job can outlast one lease (Runner:LeaseSeconds) and, on the
-- server, one pass's budget. Only rows still processing under this runner's lease are extended; the
-- ids returned are the ones it still holds. A job missing from the answer was taken over (its lease
-- ran out and another runner rescued it, or an operator cancelled it): the runner cancels that
-- handler, and the fencing of job_queue_complete discards whatever it would have recorded. A runner
-- that stops heartbeating (killed, frozen) loses its jobs after one lease. Raises 22023 for a lease
-- outside 1 second..1 day.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_extend_leases(runner_id text, ids uuid[], lease interval)
 RETURNS SETOF uuid
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
#variable_conflict use_column
BEGIN
  IF job_queue_extend_leases.lease IS NULL
     OR job_queue_extend_leases.lease NOT BETWEEN interval '1 second' AND interval '1 day' THEN
    RAISE EXCEPTION 'lease must be between 1 second and 1 day' USING ERRCODE = '22023', COLUMN = 'lease';
  END IF;
  IF job_queue_extend_leases.runner_id IS NULL OR cardinality(job_queue_extend_leases.ids) IS NULL THEN
    RETURN;
  END IF;
  -- rows by primary key; "IS TRUE" keeps the status test a filter (as in job_queue_complete)
  RETURN QUERY
  UPDATE job_queue j
     SET locked_until = now() + job_queue_extend_leases.lease
   WHERE j.id = ANY (job_queue_extend_leases.ids)
     AND j.locked_by = job_queue_extend_leases.runner_id
     AND (j.status = 'processing') IS TRUE
  RETURNING j.id;
END
$function$;
