-- Missed schedule ticks: a standing schedule whose tick was missed (host down, timers frozen after a
-- deploy, PostgreSQL down at a pg_cron tick) runs once at the next opportunity, or is skipped, per
-- schedule; either way the schedule tick table records it.
--
-- job_queue_schedule_ticks keeps the newest tick each schedule fired (0003); here it also counts
-- missed ticks and records the newest missed one and what was done about it. The catch-up check
-- (ScheduleCatchUp in the library, on both hosts) calls job_queue_claim_missed_tick: under the same
-- per-schedule advisory lock as job_queue_claim_schedule_tick, only the first caller for a missed
-- tick gets true and acts, so several instances catch up once.

ALTER TABLE jobqueue.job_queue_schedule_ticks
  ADD COLUMN IF NOT EXISTS missed_ticks       bigint      NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS last_missed_tick   timestamptz,
  ADD COLUMN IF NOT EXISTS last_missed_action text        CHECK (last_missed_action IN ('fired', 'skipped')),
  ADD COLUMN IF NOT EXISTS last_missed_at     timestamptz;

CREATE OR REPLACE FUNCTION jobqueue.job_queue_claim_missed_tick(
  name text, tick timestamptz, missed integer, action text, instance text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
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
$$;

CREATE OR REPLACE FUNCTION jobqueue.job_queue_get_schedule_ticks()
RETURNS SETOF jobqueue.job_queue_schedule_ticks
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
  SELECT * FROM job_queue_schedule_ticks ORDER BY name;
$$;

CALL jobqueue.lock_down();
CALL jobqueue.grant_app_execute('job\_queue\_%');
