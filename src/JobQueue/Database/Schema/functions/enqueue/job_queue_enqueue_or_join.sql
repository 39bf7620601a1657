-- Enqueue-or-join (JobQueueStore.EnqueueOrJoinAsync: the stats pipeline's post-match triggers):
-- while the job last enqueued under (task_type, join_key) is still pending, returns it with joined
-- = true instead of adding another, so that one pending run covers every request made before it
-- starts. A job already processing is not joined (it may have read the data before the caller's
-- change): a new job is enqueued through job_queue_enqueue (without a dedupe key) and remembered in
-- job_queue_join_keys (one row per key). Returns (id, joined). Callers of one key are serialized by
-- a transaction-level advisory lock, so two simultaneous requests cannot both enqueue; a joined job
-- keeps its own arguments. Raises 22023 for a join_key not 1..200 characters (and whatever
-- job_queue_enqueue raises).
CREATE OR REPLACE FUNCTION jobqueue.job_queue_enqueue_or_join(task_type text, join_key text, payload jsonb DEFAULT '{}'::jsonb, run_at timestamp with time zone DEFAULT now(), max_attempts integer DEFAULT 3, triggered_by text DEFAULT NULL::text, request_id text DEFAULT NULL::text, priority integer DEFAULT 0, partition_key text DEFAULT NULL::text, trace_parent text DEFAULT NULL::text)
 RETURNS TABLE(id uuid, joined boolean)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
#variable_conflict use_column
DECLARE
  last_id uuid;
  new_id  uuid;
BEGIN
  IF job_queue_enqueue_or_join.join_key IS NULL OR length(job_queue_enqueue_or_join.join_key) NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION 'join_key must be 1 to 200 characters' USING ERRCODE = '22023';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('jobqueue.join:' || job_queue_enqueue_or_join.task_type || ':'
                                         || job_queue_enqueue_or_join.join_key));

  SELECT k.job_id INTO last_id
    FROM job_queue_join_keys k
   WHERE k.task_type = job_queue_enqueue_or_join.task_type AND k.join_key = job_queue_enqueue_or_join.join_key;
  IF last_id IS NOT NULL THEN
    -- the row lock waits for a claim of that very job in progress, which then shows it processing;
    -- held until commit, it keeps a runner from claiming the job while the caller is told it joined
    PERFORM 1 FROM job_queue q WHERE q.id = last_id AND q.status = 'pending' FOR UPDATE;
    IF FOUND THEN
      RETURN QUERY SELECT last_id, true;
      RETURN;
    END IF;
  END IF;

  new_id := job_queue_enqueue(job_queue_enqueue_or_join.task_type, job_queue_enqueue_or_join.payload,
                              job_queue_enqueue_or_join.run_at, job_queue_enqueue_or_join.max_attempts, NULL,
                              job_queue_enqueue_or_join.triggered_by, job_queue_enqueue_or_join.request_id,
                              job_queue_enqueue_or_join.priority, job_queue_enqueue_or_join.partition_key,
                              job_queue_enqueue_or_join.trace_parent);
  INSERT INTO job_queue_join_keys AS k (task_type, join_key, job_id)
  VALUES (job_queue_enqueue_or_join.task_type, job_queue_enqueue_or_join.join_key, new_id)
  ON CONFLICT (task_type, join_key) DO UPDATE SET job_id = EXCLUDED.job_id, updated_at = now();
  RETURN QUERY SELECT new_id, false;
END
$function$;
