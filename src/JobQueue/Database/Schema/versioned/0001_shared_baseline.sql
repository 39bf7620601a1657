-- Baseline, part 1 of 2: what both of JobQueue's databases hold (the app database, and pg_cron's
-- database when that is another one): the schema `jobqueue`, the role `jobqueue_app`, and the
-- bookkeeping of the pg_cron jobs JobQueue made. The schema is JobQueue's as it stood when the 31
-- scripts of the first layout were squashed (their last was 0200_job_queue_held_flag); functions,
-- triggers and grants are not here: they are in ../functions and ../grants.sql, applied after
-- every versioned script.
--
-- Everything is created in `jobqueue` (owner-only; USAGE for jobqueue_app), never in `public`:
-- on Supabase and any PostgREST setup `public` is served over HTTP, and a team's own
-- `public.job_queue` must never be touched.

CREATE SCHEMA IF NOT EXISTS jobqueue;
REVOKE ALL ON SCHEMA jobqueue FROM PUBLIC;

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


-- The pg_cron jobs made through JobQueue (create_cron_job): the command it wrote, so that a job is
-- JobQueue's only while pg_cron still holds that exact command for it.
CREATE TYPE jobqueue.cron_job_info AS (
	jobid bigint,
	jobname text,
	schedule text,
	active boolean,
	task_type text,
	payload jsonb,
	max_attempts integer,
	dedupe_key text,
	database text,
	priority integer
);


CREATE TABLE jobqueue.cron_jobs (
    jobid bigint NOT NULL,
    task_type text NOT NULL,
    payload jsonb NOT NULL,
    max_attempts integer NOT NULL,
    dedupe_key text,
    target_database text NOT NULL,
    command text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    priority integer DEFAULT 0 NOT NULL
);

ALTER TABLE ONLY jobqueue.cron_jobs
    ADD CONSTRAINT cron_jobs_pkey PRIMARY KEY (jobid);

ALTER TABLE jobqueue.cron_jobs ENABLE ROW LEVEL SECURITY;
