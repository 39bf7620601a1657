-- Throughput per minute: finished attempts by outcome, counted as the attempt history is written (a
-- statement-level trigger: one upsert per finishing statement, e.g. per batch of 500 jobs), so that
-- the dashboard's charts of the last hour and the last day read at most a few rows per minute of the
-- window, whatever the size of the attempt history. Each statement adds to one of 8 rows of its
-- minute (chosen at random), so that runners finishing in the same minute rarely wait for each
-- other's commit; the cleanup job folds minutes older than an hour into one row each and deletes
-- minutes older than its audit retention (job_queue_throughput_compact).

CREATE TABLE IF NOT EXISTS jobqueue.job_queue_minute_counts (
  minute         timestamptz NOT NULL,
  shard          smallint    NOT NULL CHECK (shard BETWEEN 0 AND 7),
  succeeded      bigint      NOT NULL DEFAULT 0,
  failed         bigint      NOT NULL DEFAULT 0,
  retried        bigint      NOT NULL DEFAULT 0,
  lease_expired  bigint      NOT NULL DEFAULT 0,
  cancelled      bigint      NOT NULL DEFAULT 0,
  PRIMARY KEY (minute, shard)
) WITH (fillfactor = 50);

CREATE OR REPLACE FUNCTION jobqueue.count_job_attempts()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
BEGIN
  INSERT INTO job_queue_minute_counts AS c (minute, shard, succeeded, failed, retried, lease_expired, cancelled)
  SELECT date_trunc('minute', a.finished_at), floor(random() * 8)::smallint,
         count(*) FILTER (WHERE a.outcome = 'succeeded'), count(*) FILTER (WHERE a.outcome = 'failed'),
         count(*) FILTER (WHERE a.outcome = 'retry'), count(*) FILTER (WHERE a.outcome = 'lease_expired'),
         count(*) FILTER (WHERE a.outcome = 'cancelled')
    FROM new_attempts a
   GROUP BY 1
   ORDER BY 1
  ON CONFLICT (minute, shard) DO UPDATE
    SET succeeded = c.succeeded + EXCLUDED.succeeded, failed = c.failed + EXCLUDED.failed,
        retried = c.retried + EXCLUDED.retried, lease_expired = c.lease_expired + EXCLUDED.lease_expired,
        cancelled = c.cancelled + EXCLUDED.cancelled;
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS job_queue_count_attempts ON jobqueue.job_queue_attempts;
CREATE TRIGGER job_queue_count_attempts AFTER INSERT ON jobqueue.job_queue_attempts
  REFERENCING NEW TABLE AS new_attempts FOR EACH STATEMENT EXECUTE FUNCTION jobqueue.count_job_attempts();

-- the last two days of the history as it is now (the trigger's lock keeps writers out meanwhile);
-- older minutes would never be shown
DELETE FROM jobqueue.job_queue_minute_counts;
INSERT INTO jobqueue.job_queue_minute_counts (minute, shard, succeeded, failed, retried, lease_expired, cancelled)
SELECT date_trunc('minute', a.finished_at), 0,
       count(*) FILTER (WHERE a.outcome = 'succeeded'), count(*) FILTER (WHERE a.outcome = 'failed'),
       count(*) FILTER (WHERE a.outcome = 'retry'), count(*) FILTER (WHERE a.outcome = 'lease_expired'),
       count(*) FILTER (WHERE a.outcome = 'cancelled')
  FROM jobqueue.job_queue_attempts a
 WHERE a.finished_at > now() - interval '2 days'
 GROUP BY 1;

-- every minute of the window up to the current one (1 minute to 7 days), oldest first, zeros included
CREATE OR REPLACE FUNCTION jobqueue.job_queue_throughput(time_window interval DEFAULT interval '1 hour')
RETURNS TABLE (minute timestamptz, succeeded bigint, failed bigint, retried bigint, lease_expired bigint, cancelled bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
  SELECT m.minute, COALESCE(sum(c.succeeded), 0)::bigint, COALESCE(sum(c.failed), 0)::bigint,
         COALESCE(sum(c.retried), 0)::bigint, COALESCE(sum(c.lease_expired), 0)::bigint, COALESCE(sum(c.cancelled), 0)::bigint
    FROM generate_series(date_trunc('minute', now())
                           - (LEAST(GREATEST(COALESCE($1, interval '1 hour'), interval '1 minute'), interval '7 days') - interval '1 minute'),
                         date_trunc('minute', now()), interval '1 minute') AS m(minute)
    LEFT JOIN job_queue_minute_counts c ON c.minute = m.minute
   GROUP BY m.minute
   ORDER BY m.minute;
$$;

-- cleanup: deletes minutes older than older_than (returns how many), folds the shards of minutes
-- older than an hour into shard 0 (nobody writes those minutes any more)
CREATE OR REPLACE FUNCTION jobqueue.job_queue_throughput_compact(older_than timestamptz)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
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
$$;

CALL jobqueue.lock_down();
CALL jobqueue.grant_app_execute('job\_queue\_throughput%');
