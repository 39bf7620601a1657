-- The pg_cron jobs the cut-over (infra/local/cutover.sh apply) converted into JobQueue schedules: the
-- old job (disabled, never deleted) beside the JobQueue pg_cron job that replaced it, whose runs
-- enqueue jobs with triggered_by = 'pg_cron:' || new_jobname. The parity report reads it; rollback
-- re-enables the old job and sets rolled_back_at.
CREATE TABLE jobqueue.cutover_cron_jobs (
    old_jobid bigint PRIMARY KEY,
    old_jobname text NOT NULL,
    old_username text NOT NULL,
    old_database text NOT NULL,
    old_command_md5 text NOT NULL,
    new_jobname text NOT NULL,
    converted_at timestamp with time zone DEFAULT now() NOT NULL,
    rolled_back_at timestamp with time zone
);
