-- Enqueues many jobs of one task type in one statement (JobQueueStore.EnqueueManyAsync, for bulk
-- producers): one job per element of payloads (a NULL element: '{}'), all with the same run_at,
-- max_attempts, triggered_by, priority and trace_parent; no dedupe keys. Returns the number
-- enqueued. Raises 22023 for a task type not 1..100 characters or a priority not -100..100, and for
-- the first payload (numbered from 1) that is not a JSON object or is over the limits
-- (payload_limit_problem). The held flag is looked up once for the whole batch, after the task
-- type's shared held-flag lock (see held_flag_key).
CREATE OR REPLACE FUNCTION jobqueue.job_queue_enqueue_many(task_type text, payloads jsonb[], run_at timestamp with time zone DEFAULT now(), max_attempts integer DEFAULT 3, triggered_by text DEFAULT NULL::text, priority integer DEFAULT 0, trace_parent text DEFAULT NULL::text)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
#variable_conflict use_column
DECLARE
  n integer;
  bad record;
BEGIN
  IF job_queue_enqueue_many.task_type IS NULL OR length(job_queue_enqueue_many.task_type) NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'task_type must be 1 to 100 characters' USING ERRCODE = '22023', COLUMN = 'taskType';
  END IF;
  IF COALESCE(job_queue_enqueue_many.priority, 0) NOT BETWEEN -100 AND 100 THEN
    RAISE EXCEPTION 'priority must be between -100 and 100' USING ERRCODE = '22023', COLUMN = 'priority';
  END IF;
  SELECT i, COALESCE(jobqueue.payload_limit_problem(p), 'not a JSON object') AS problem INTO bad
    FROM unnest(job_queue_enqueue_many.payloads) WITH ORDINALITY AS x(p, i)
   WHERE p IS NOT NULL AND (jsonb_typeof(p) <> 'object' OR jobqueue.payload_limit_problem(p) IS NOT NULL)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'payload % is %', bad.i, bad.problem USING ERRCODE = '22023', COLUMN = 'payloads';
  END IF;
  -- one look-up of the limits for the whole batch, after the type's shared lock
  PERFORM pg_advisory_xact_lock_shared(held_flag_key(job_queue_enqueue_many.task_type));
  INSERT INTO job_queue (task_type, payload, run_at, max_attempts, triggered_by, priority, trace_parent, held)
  SELECT job_queue_enqueue_many.task_type, COALESCE(p, '{}'::jsonb),
         COALESCE(job_queue_enqueue_many.run_at, now()), COALESCE(job_queue_enqueue_many.max_attempts, 3),
         job_queue_enqueue_many.triggered_by, COALESCE(job_queue_enqueue_many.priority, 0), job_queue_enqueue_many.trace_parent,
         EXISTS (SELECT 1 FROM job_queue_task_limits l WHERE l.task_type = job_queue_enqueue_many.task_type)
    FROM unnest(job_queue_enqueue_many.payloads) AS p;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$function$;
