-- The stats pipeline (stats_update) runs one at a time by default: its steps rewrite the same
-- aggregate tables, and two runs at once race. A shipped default limit (source 'settings', so that
-- an operator's POST admin/task-limits/set replaces it and TaskLimits:stats_update:* settings may
-- too); left alone where the type already has a row (an operator's or the settings' limits win).
-- The type's jobs become held, as held_flag_sync does (written inline: functions are applied after
-- the versioned scripts); the lock orders this with enqueues of the type (see held_flag_key).
SELECT pg_advisory_xact_lock(hashtextextended('job_queue_held:stats_update', 0));

INSERT INTO jobqueue.job_queue_task_limits (task_type, max_concurrency, source, updated_by)
VALUES ('stats_update', 1, 'settings', 'default: one stats run at a time')
ON CONFLICT (task_type) DO NOTHING;

UPDATE jobqueue.job_queue q SET held = true
 WHERE q.status IN ('pending', 'processing') AND NOT q.held AND q.task_type = 'stats_update';
