-- Catch-up of a schedule's missed ticks (ScheduleCatchUp, via
-- ScheduleTickStore.ClaimMissedTickAsync): true for the one caller, across instances, that handles
-- the missed tick `tick` of schedule `name` (under the same per-schedule advisory lock as
-- job_queue_claim_schedule_tick, and only while the recorded last tick is older). It records the
-- tick as fired, adds `missed` (at least 1) to missed_ticks and notes the action taken: 'fired'
-- (run once now) or 'skipped'; any other action raises 22023. False when the schedule has no row
-- yet or the tick was handled already.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_claim_missed_tick(name text, tick timestamp with time zone, missed integer, action text, instance text DEFAULT NULL::text)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
#variable_conflict use_column
DECLARE
  claimed boolean;
BEGIN
  IF action NOT IN ('fired', 'skipped') THEN
    RAISE EXCEPTION 'action must be fired or skipped' USING ERRCODE = '22023';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('job_queue_schedule:' || job_queue_claim_missed_tick.name, 0));
  UPDATE job_queue_schedule_ticks t
     SET last_tick = job_queue_claim_missed_tick.tick,
         fired_by = job_queue_claim_missed_tick.instance,
         fired_at = now(),
         missed_ticks = t.missed_ticks + GREATEST(COALESCE(job_queue_claim_missed_tick.missed, 1), 1),
         last_missed_tick = job_queue_claim_missed_tick.tick,
         last_missed_action = job_queue_claim_missed_tick.action,
         last_missed_at = now()
   WHERE t.name = job_queue_claim_missed_tick.name AND t.last_tick < job_queue_claim_missed_tick.tick
  RETURNING true INTO claimed;
  RETURN COALESCE(claimed, false);
END
$function$;
