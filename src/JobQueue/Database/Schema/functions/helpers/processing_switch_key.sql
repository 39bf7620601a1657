-- The advisory lock key of the queue's pause switch (job_queue_settings.processing_enabled): every
-- claim (job_queue_claim) takes it SHARED before it reads the switch, a pause
-- (job_queue_set_settings with processing_enabled false) takes it EXCLUSIVE before it writes the
-- switch. The pause therefore waits for the claims that read "enabled" to commit, and every claim
-- after it reads "disabled" (READ COMMITTED: its next statement's snapshot is taken after the lock).
-- An advisory lock rather than the settings row FOR SHARE: many concurrent claimers sharing a row
-- lock would each create a new MultiXact and write (and WAL-log) the row's lock, per claim.
CREATE OR REPLACE FUNCTION jobqueue.processing_switch_key()
 RETURNS bigint
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN hashtextextended('job_queue_processing_switch'::text, (0)::bigint);
