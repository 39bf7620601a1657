-- Fires each tick of a self-hosted schedule once across instances (ScheduleRunner and
-- ScheduleCatchUp, via ScheduleTickStore.ClaimTickAsync): every instance calls it at the tick, and
-- only the first call for a tick newer than the recorded last tick gets true and records it (with
-- the calling instance). A transaction-level advisory lock per schedule name serializes the
-- callers.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_claim_schedule_tick(name text, tick timestamp with time zone, instance text DEFAULT NULL::text)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
#variable_conflict use_column
DECLARE
  claimed boolean;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('job_queue_schedule:' || job_queue_claim_schedule_tick.name, 0));
  INSERT INTO job_queue_schedule_ticks AS t (name, last_tick, fired_by, fired_at)
  VALUES (job_queue_claim_schedule_tick.name, job_queue_claim_schedule_tick.tick, job_queue_claim_schedule_tick.instance, now())
  ON CONFLICT (name) DO UPDATE
     SET last_tick = EXCLUDED.last_tick, fired_by = EXCLUDED.fired_by, fired_at = EXCLUDED.fired_at
   WHERE t.last_tick < EXCLUDED.last_tick
  RETURNING true INTO claimed;
  RETURN COALESCE(claimed, false);
END
$function$;
