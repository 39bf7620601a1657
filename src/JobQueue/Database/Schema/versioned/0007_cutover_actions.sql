-- What the cut-over (infra/local/cutover.sh apply) did in the app database besides converting pg_cron
-- jobs (those are in cutover_cron_jobs): a legacy table renamed (kept, never dropped), a legacy RPC
-- renamed beside its wrapper, the compatibility view made in the legacy table's place, the pause
-- switch carried over, a legacy pg_cron job disabled. legacy_name is the object's name before the
-- cut-over, kept_as its name after; detail holds what rollback needs (the settings JobQueue had,
-- the disabled job's id). Rollback undoes the rows whose rolled_back_at is NULL, newest first, and
-- sets it. Reached only by the owner connection (RLS on, no grant).
CREATE TABLE jobqueue.cutover_actions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('table_renamed', 'function_renamed', 'view_created', 'settings_carried', 'cron_job_disabled')),
    legacy_name text NOT NULL,
    kept_as text,
    detail jsonb DEFAULT '{}'::jsonb NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL,
    rolled_back_at timestamp with time zone
);
