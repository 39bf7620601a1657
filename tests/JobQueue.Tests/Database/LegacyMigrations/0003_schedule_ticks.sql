-- Schedule ticks: a self-hosted schedule fires each tick once across instances. Each instance
-- calls job_queue_claim_schedule_tick(name, tick) at the tick; only the first call for a tick
-- (under a per-schedule advisory lock, against the recorded last-fired tick) returns true.

CREATE TABLE IF NOT EXISTS job_queue_schedule_ticks (
  name       text        PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 100),
  last_tick  timestamptz NOT NULL,
  fired_by   text,
  fired_at   timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION job_queue_claim_schedule_tick(name text, tick timestamptz, instance text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
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
$$;

REVOKE EXECUTE ON FUNCTION job_queue_claim_schedule_tick(text, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION job_queue_claim_schedule_tick(text, timestamptz, text) TO jobqueue_app;
