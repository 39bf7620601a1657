-- The key of a task type's held-flag lock (see the header); a SQL-standard body, inlined.
CREATE OR REPLACE FUNCTION jobqueue.held_flag_key(task_type text)
 RETURNS bigint
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN hashtextextended(('job_queue_held:'::text || task_type), (0)::bigint);
