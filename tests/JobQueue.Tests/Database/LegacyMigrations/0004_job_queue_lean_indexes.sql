-- Fewer index entries per job. Every claim and every finish writes a new version of the job's row,
-- and PostgreSQL adds an entry for that version to EVERY index of the table whose predicate it
-- matches (no HOT update is possible: the status changes). The three listing indexes of 0001 were
-- full indexes, so each job paid nine listing-index insertions (enqueue, claim, finish), and the
-- attempt history one more. Measured side by side against the schema before (a SQL claim+finish
-- loop of 50,000 jobs, 500 per call, committed each call): 52 -> 30 µs of PostgreSQL time per job;
-- a batch enqueue of 100,000 jobs, with the cheaper id default below: 1.43 -> 0.57 s
-- (tests/JobQueue.Benchmarks/BENCHMARKS.md).
--
-- What the listings use now:
--   all jobs, newest first      the primary key: job ids are time-ordered (below), so the list is
--                                ordered by id, which is the creation order to the millisecond
--   failed / cancelled          the partial index below, (status, id): only jobs that ended badly
--                                enter it, so neither an enqueue nor a claim nor a success writes it
--   pending                     the due index (every pending job), sorted, or the primary key
--                                backwards, filtered (a backlog is mostly the newest rows); the
--                                planner picks by the number of pending jobs
--   processing                  the lease index (only the jobs running right now), sorted
--   succeeded                   the primary key backwards, filtered (succeeded jobs are the bulk
--                                of the table, so a page is found after a few rows)
--   a task type                 the primary key backwards, filtered, or with a status filter the
--                                status's index: its cost grows with the rows newer than the page
--                                that are of other task types (see BENCHMARKS.md)

-- Time-ordered job ids (the UUIDv7 layout: 48 bits of Unix milliseconds, version 7, 12 random
-- bits, variant 10, 62 random bits), so that a new job's entries land at the right edge of the
-- primary key instead of at random pages, a drain (which claims in insertion order) touches it in
-- order too, and the list can be ordered by id. Measured on a 1,000-job claim + finish: about half
-- the database time of random (v4) ids. Still a plain uuid to every caller.
-- An expression default, not a function (no call per inserted row), and its random bits come from
-- random() (the session's PRNG, seeded from a strong source when the session starts) rather than
-- gen_random_uuid() (a cryptographic random call per row): 0.55 instead of 2.1 µs per id, a quarter
-- of a batch enqueue. Job ids are identifiers, not secrets (every route that takes one is
-- authenticated). A session that calls setseed() would repeat its ids: the primary key refuses
-- such a duplicate, nothing is overwritten.
ALTER TABLE job_queue ALTER COLUMN id SET DEFAULT
  encode(int8send(((date_part('epoch', clock_timestamp()) * 1000)::bigint << 16)
                  | 28672                                          -- version 7
                  | (random() * 4095)::bigint)
         || int8send(((random() * 4294967295)::bigint << 30)
                     | (random() * 1073741823)::bigint
                     | (-9223372036854775807 - 1)),                -- variant 10
         'hex')::uuid;

DROP INDEX IF EXISTS job_queue_created_idx;
DROP INDEX IF EXISTS job_queue_status_created_idx;
DROP INDEX IF EXISTS job_queue_task_created_idx;
DROP INDEX IF EXISTS job_queue_attempts_recent_idx;

CREATE INDEX IF NOT EXISTS job_queue_ended_badly_idx ON job_queue (status, id)
  WHERE status IN ('failed', 'cancelled');

-- the list, newest first by id; the cursor is the last row's id
DROP FUNCTION IF EXISTS job_queue_list(text, text, integer, timestamptz, uuid);

CREATE OR REPLACE FUNCTION job_queue_list(
  status    text    DEFAULT NULL,
  task_type text    DEFAULT NULL,
  "limit"   integer DEFAULT 50,
  before_id uuid    DEFAULT NULL)
RETURNS SETOF job_queue
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  -- dynamic so that each filter combination is planned with its values (a status picks its index)
  RETURN QUERY EXECUTE
    'SELECT * FROM job_queue WHERE true'
    || CASE WHEN $1 IS NOT NULL THEN ' AND status = $1' ELSE '' END
    || CASE WHEN $2 IS NOT NULL THEN ' AND task_type = $2' ELSE '' END
    || CASE WHEN $4 IS NOT NULL THEN ' AND id < $4' ELSE '' END
    || ' ORDER BY id DESC LIMIT $3'
  USING $1, $2, LEAST(GREATEST(COALESCE($3, 50), 1), 500), $4;
END
$$;

-- the queue gauges (due pending jobs, oldest due age): one read of the partial index of pending
-- jobs, so that sampling them every minute costs the same whatever the size of the table
CREATE OR REPLACE FUNCTION job_queue_pending_gauges(OUT due_pending bigint, OUT oldest_pending_age_seconds double precision)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT count(*), COALESCE(extract(epoch FROM now() - min(run_at)), 0)::double precision
    FROM job_queue WHERE status = 'pending' AND run_at <= now();
$$;

-- health: one round trip for the dashboard; the gauges above; the recent runs by the attempt history's primary key (insertion
-- order) instead of an index of their own
CREATE OR REPLACE FUNCTION job_queue_health(recent_limit integer DEFAULT 10)
RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT jsonb_build_object(
    'counts', (SELECT jsonb_build_object(
                 'pending',    count(*) FILTER (WHERE status = 'pending'),
                 'processing', count(*) FILTER (WHERE status = 'processing'),
                 'succeeded',  count(*) FILTER (WHERE status = 'succeeded'),
                 'failed',     count(*) FILTER (WHERE status = 'failed'),
                 'cancelled',  count(*) FILTER (WHERE status = 'cancelled'))
               FROM job_queue),
    'processingEnabled', (SELECT s.processing_enabled FROM job_queue_settings s WHERE s.id),
    'pausedReason', (SELECT s.paused_reason FROM job_queue_settings s WHERE s.id),
    'duePending', g.due_pending,
    'oldestPendingAgeSeconds', g.oldest_pending_age_seconds,
    'stuckJobs', (SELECT COALESCE(jsonb_agg(jsonb_build_object(
                            'id', q.id, 'taskType', q.task_type, 'lockedBy', q.locked_by,
                            'lockedUntil', q.locked_until, 'attempts', q.attempts)), '[]'::jsonb)
                    FROM (SELECT * FROM job_queue WHERE status = 'processing' AND locked_until < now()
                          ORDER BY locked_until LIMIT 50) q),
    'recentFailures', (SELECT COALESCE(jsonb_agg(jsonb_build_object(
                                 'id', f.id, 'taskType', f.task_type, 'attempts', f.attempts,
                                 'lastError', f.last_error, 'completedAt', f.completed_at)), '[]'::jsonb)
                         FROM (SELECT * FROM job_queue WHERE status = 'failed'
                               ORDER BY completed_at DESC NULLS LAST LIMIT $1) f),
    'recentRuns', (SELECT COALESCE(jsonb_agg(jsonb_build_object(
                             'jobId', a.job_id, 'attempt', a.attempt, 'runnerId', a.runner_id,
                             'outcome', a.outcome, 'finishedAt', a.finished_at, 'durationMs', a.duration_ms,
                             'error', a.error)), '[]'::jsonb)
                     FROM (SELECT * FROM job_queue_attempts ORDER BY id DESC LIMIT $1) a),
    'checkedAt', now())
  FROM job_queue_pending_gauges() g;
$$;

CALL jobqueue_grant_app_execute('job\_queue\_%');
