-- The key of a task type's held-flag advisory lock: hashtextextended('job_queue_held:' || type, 0),
-- a prefix no other advisory lock of the project uses. A SQL-standard body, inlined. Internal.
-- The held flag (job_queue.held): a pending or processing job is held when its task type has a row
-- in job_queue_task_limits (a limit or a pause), and the claim reads held and free jobs from
-- different indexes (see job_queue_claim), so the flag must not go stale. This lock orders its
-- writers, to commit: every enqueue path (enqueue, enqueue_many, follow-ups, retry, bulk retry)
-- takes it SHARED for each task type it writes, before the statement that reads the limits;
-- held_flag_sync takes it EXCLUSIVE before it reads the limits and rewrites the type's flags. In
-- READ COMMITTED each statement takes a fresh snapshot, so whichever comes second sees what the
-- first committed. Enqueues never wait for each other; a flip waits for the open transactions that
-- enqueued its type. Not covered: writes that bypass the functions, callers in REPEATABLE READ or
-- SERIALIZABLE, and a job claimed or snoozed while a flip rewrites its type; job_queue_repair_held
-- is the safety net.
CREATE OR REPLACE FUNCTION jobqueue.held_flag_key(task_type text)
 RETURNS bigint
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN hashtextextended(('job_queue_held:'::text || task_type), (0)::bigint);
