-- The job queue's tables and indexes.
-- Runs as the schema owner (the migrating user); needs no superuser.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'jobqueue_app') THEN
    -- roles are cluster-wide: another database's migration may create it at the same moment
    BEGIN
      CREATE ROLE jobqueue_app NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
END
$$;

CREATE TABLE IF NOT EXISTS job_queue (
  id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  task_type     text        NOT NULL CHECK (length(task_type) BETWEEN 1 AND 100),
  payload       jsonb       NOT NULL DEFAULT '{}'::jsonb,
  status        text        NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'processing', 'succeeded', 'failed', 'cancelled')),
  run_at        timestamptz NOT NULL DEFAULT now(),
  attempts      integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts  integer     NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 100),
  last_error    text,
  output        jsonb,
  dedupe_key    text        CHECK (dedupe_key IS NULL OR length(dedupe_key) BETWEEN 1 AND 200),
  locked_by     text,
  locked_until  timestamptz,
  triggered_by  text,
  request_id    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  started_at    timestamptz,
  completed_at  timestamptz
);

-- claim: due pending jobs, oldest due first (a partial index: finished rows never enter it)
CREATE INDEX IF NOT EXISTS job_queue_due_idx ON job_queue (run_at) WHERE status = 'pending';
-- lease rescue: processing jobs by lease expiry
CREATE INDEX IF NOT EXISTS job_queue_lease_idx ON job_queue (locked_until) WHERE status = 'processing';
-- dedupe: at most one live job per (task_type, dedupe_key)
CREATE UNIQUE INDEX IF NOT EXISTS job_queue_dedupe_uidx ON job_queue (task_type, dedupe_key)
  WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'processing');
-- listings, newest first, keyset on (created_at, id)
CREATE INDEX IF NOT EXISTS job_queue_created_idx ON job_queue (created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS job_queue_status_created_idx ON job_queue (status, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS job_queue_task_created_idx ON job_queue (task_type, created_at DESC, id DESC);
-- cleanup: finished jobs by completion time
CREATE INDEX IF NOT EXISTS job_queue_finished_idx ON job_queue (completed_at)
  WHERE status IN ('succeeded', 'failed', 'cancelled');

CREATE TABLE IF NOT EXISTS job_queue_attempts (
  id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id       uuid        NOT NULL REFERENCES job_queue (id) ON DELETE CASCADE,
  attempt      integer     NOT NULL,
  runner_id    text,
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz NOT NULL DEFAULT now(),
  outcome      text        NOT NULL CHECK (outcome IN ('succeeded', 'retry', 'failed', 'lease_expired', 'cancelled')),
  error        text,
  duration_ms  integer     NOT NULL DEFAULT 0
);

CREATE INDEX IF NOT EXISTS job_queue_attempts_job_idx ON job_queue_attempts (job_id, id);
CREATE INDEX IF NOT EXISTS job_queue_attempts_recent_idx ON job_queue_attempts (finished_at DESC);

CREATE TABLE IF NOT EXISTS job_queue_settings (
  id                  boolean     PRIMARY KEY DEFAULT true CHECK (id),
  processing_enabled  boolean     NOT NULL DEFAULT true,
  paused_reason       text,
  updated_by          text,
  updated_at          timestamptz NOT NULL DEFAULT now()
);

INSERT INTO job_queue_settings (id) VALUES (true) ON CONFLICT (id) DO NOTHING;

-- least privilege: only the owner touches the tables; everyone else goes through the functions
ALTER TABLE job_queue ENABLE ROW LEVEL SECURITY;
ALTER TABLE job_queue_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE job_queue_settings ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON job_queue, job_queue_attempts, job_queue_settings FROM PUBLIC;
