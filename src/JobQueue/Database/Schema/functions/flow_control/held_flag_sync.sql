-- Makes the held flag of one task type's pending and processing jobs match its limits row (held
-- while the row exists); returns the number of jobs changed. Called by job_queue_set_task_limits
-- and job_queue_pause_task_type when the type's row appeared or went, and by job_queue_repair_held
-- for a type found stale. The type's held-flag lock is taken EXCLUSIVE first (see held_flag_key);
-- the limits are read after it, in a statement of their own, so every enqueue that committed first
-- is seen. Clearing the flag walks the type's held range in batches of 10,000. Internal.
CREATE OR REPLACE FUNCTION jobqueue.held_flag_sync(task_type text)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
DECLARE
  is_held boolean;
  batch uuid[];
  n integer;
  total integer;
BEGIN
  PERFORM pg_advisory_xact_lock(held_flag_key(held_flag_sync.task_type));
  is_held := EXISTS (SELECT 1 FROM job_queue_task_limits l WHERE l.task_type = held_flag_sync.task_type);
  UPDATE job_queue q SET held = is_held
   WHERE q.status = 'processing' AND q.task_type = held_flag_sync.task_type AND q.held = NOT is_held;
  GET DIAGNOSTICS total = ROW_COUNT;
  IF is_held THEN
    -- the type's pending jobs are among the due index's (which has no type column): one scan
    UPDATE job_queue q SET held = true
     WHERE q.status = 'pending' AND NOT q.held AND q.task_type = held_flag_sync.task_type;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN total + n;
  END IF;
  -- the type's held range, in job_queue_held_due_idx's order so that the plan is a range of it
  -- whatever the planner estimates (an empty range costs one descent), in batches of 10,000
  LOOP
    batch := ARRAY(
      SELECT q.id FROM job_queue q
       WHERE q.status = 'pending' AND q.held AND q.task_type = held_flag_sync.task_type
       ORDER BY q.priority DESC, q.run_at, q.id
       LIMIT 10000);
    EXIT WHEN cardinality(batch) = 0;
    UPDATE job_queue q SET held = false WHERE q.id = ANY (batch) AND q.status = 'pending' AND q.held;
    GET DIAGNOSTICS n = ROW_COUNT;
    total := total + n;
    EXIT WHEN cardinality(batch) < 10000;
  END LOOP;
  RETURN total;
END
$function$;
