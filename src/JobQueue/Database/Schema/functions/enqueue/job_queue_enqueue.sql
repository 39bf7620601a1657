-- Enqueues one job and returns its id. Called by JobQueueStore.EnqueueAsync (the API's and the
-- library's enqueues), by job_queue_enqueue_or_join, and by the commands of pg_cron jobs made by
-- create_cron_job. Every argument after task_type has a default and later ones are only ever
-- trailing, so short positional calls such as job_queue_enqueue(task_type, payload, run_at,
-- max_attempts) work. run_at: when the job becomes due (NULL: now); priority: -100..100, higher
-- runs first; partition_key: the job's partition for per-partition concurrency limits (else its
-- payload's partition_by key); trace_parent: the W3C traceparent of the enqueuing trace (NULL
-- outside one); triggered_by and request_id: where the job came from.
-- Dedupe: while a job with the same task type and dedupe key is pending or processing, no job is
-- added and that job's id is returned (the loop tries again if it finished in between).
-- Raises 22023 (COLUMN names the request field) for a task type not 1..100 characters, a payload
-- that is not a JSON object or is over the limits (payload_limit_problem), max_attempts not 1..100
-- or a priority not -100..100. The held flag is read from the limits by the insert itself, after
-- the task type's shared held-flag lock (see held_flag_key).
CREATE OR REPLACE FUNCTION jobqueue.job_queue_enqueue(task_type text, payload jsonb DEFAULT '{}'::jsonb, run_at timestamp with time zone DEFAULT now(), max_attempts integer DEFAULT 3, dedupe_key text DEFAULT NULL::text, triggered_by text DEFAULT NULL::text, request_id text DEFAULT NULL::text, priority integer DEFAULT 0, partition_key text DEFAULT NULL::text, trace_parent text DEFAULT NULL::text)
 RETURNS uuid
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
#variable_conflict use_column
DECLARE
  new_id uuid;
  problem text;
BEGIN
  IF job_queue_enqueue.task_type IS NULL OR length(job_queue_enqueue.task_type) NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'task_type must be 1 to 100 characters' USING ERRCODE = '22023', COLUMN = 'taskType';
  END IF;
  IF job_queue_enqueue.payload IS NOT NULL AND jsonb_typeof(job_queue_enqueue.payload) <> 'object' THEN
    RAISE EXCEPTION 'payload must be a JSON object' USING ERRCODE = '22023', COLUMN = 'payload';
  END IF;
  problem := jobqueue.payload_limit_problem(job_queue_enqueue.payload);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'payload is %', problem USING ERRCODE = '22023', COLUMN = 'payload';
  END IF;
  IF COALESCE(job_queue_enqueue.max_attempts, 3) NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'max_attempts must be between 1 and 100' USING ERRCODE = '22023', COLUMN = 'maxAttempts';
  END IF;
  IF COALESCE(job_queue_enqueue.priority, 0) NOT BETWEEN -100 AND 100 THEN
    RAISE EXCEPTION 'priority must be between -100 and 100' USING ERRCODE = '22023', COLUMN = 'priority';
  END IF;

  -- the type's shared lock (a simple expression: no query), then the limits read by the insert itself
  PERFORM pg_advisory_xact_lock_shared(held_flag_key(job_queue_enqueue.task_type));
  LOOP
    INSERT INTO job_queue AS j (task_type, payload, run_at, max_attempts, dedupe_key, triggered_by, request_id,
                                priority, partition_key, trace_parent, held)
    VALUES (job_queue_enqueue.task_type,
            COALESCE(job_queue_enqueue.payload, '{}'::jsonb),
            COALESCE(job_queue_enqueue.run_at, now()),
            COALESCE(job_queue_enqueue.max_attempts, 3),
            job_queue_enqueue.dedupe_key,
            job_queue_enqueue.triggered_by,
            job_queue_enqueue.request_id,
            COALESCE(job_queue_enqueue.priority, 0),
            job_queue_enqueue.partition_key,
            job_queue_enqueue.trace_parent,
            EXISTS (SELECT 1 FROM job_queue_task_limits l WHERE l.task_type = job_queue_enqueue.task_type))
    ON CONFLICT (task_type, dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'processing')
    DO NOTHING
    RETURNING j.id INTO new_id;
    IF new_id IS NOT NULL THEN
      RETURN new_id;
    END IF;
    -- a live duplicate exists: return it (loop if it finished in between)
    SELECT j.id INTO new_id FROM job_queue j
     WHERE j.task_type = job_queue_enqueue.task_type
       AND j.dedupe_key = job_queue_enqueue.dedupe_key
       AND j.status IN ('pending', 'processing');
    IF new_id IS NOT NULL THEN
      RETURN new_id;
    END IF;
  END LOOP;
END
$function$;
