-- Enqueues the follow-ups of jobs that this transaction has just marked succeeded; returns how
-- many. Called only by job_queue_complete, with the ids of the results flagged "followUp". A job's
-- payload may carry "then": {"taskType", "payload", "delaySeconds", "dedupeKey", "maxAttempts",
-- "priority", "partitionKey"}; the follow-up is due delaySeconds later, triggered_by
-- 'follow-up:<job id>', with the job's request_id and trace_parent (its attempts link back to the
-- request that started the chain). Only jobs whose completed_at is this transaction's now()
-- qualify, which keeps out a job finished earlier by another runner. A malformed "then" is skipped
-- rather than failing the batch (every value is type-checked before any cast); a live job with the
-- same task type and dedupe key absorbs the follow-up. The held flags are read after the shared
-- held-flag locks that job_queue_complete took for every follow-up type before it touched a job row
-- (see held_flag_key).
CREATE OR REPLACE FUNCTION jobqueue.job_queue_enqueue_follow_ups(job_ids uuid[])
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
DECLARE
  n integer;
  limited text[] := ARRAY(SELECT l.task_type FROM job_queue_task_limits l);
BEGIN
  INSERT INTO job_queue AS q (task_type, payload, run_at, max_attempts, dedupe_key, triggered_by, request_id,
                              priority, partition_key, trace_parent, held)
  SELECT f.task_type, f.payload, now() + make_interval(secs => f.delay_seconds), f.max_attempts, f.dedupe_key,
         'follow-up:' || j.id, j.request_id, f.priority, f.partition_key, j.trace_parent, f.task_type = ANY (limited)
    FROM job_queue j
   CROSS JOIN LATERAL (
     -- every value guarded by its JSON type first (CASE evaluates in order), so that no cast can fail
     SELECT CASE WHEN jsonb_typeof(t -> 'taskType') = 'string' THEN t ->> 'taskType' END AS task_type,
            CASE WHEN t -> 'payload' IS NULL OR jsonb_typeof(t -> 'payload') = 'null' THEN '{}'::jsonb
                 WHEN jsonb_typeof(t -> 'payload') = 'object' THEN t -> 'payload' END AS payload,
            CASE WHEN t -> 'delaySeconds' IS NULL OR jsonb_typeof(t -> 'delaySeconds') = 'null' THEN 0
                 WHEN jsonb_typeof(t -> 'delaySeconds') = 'number'
                 THEN LEAST(GREATEST((t ->> 'delaySeconds')::numeric, 0), 31622400)::double precision END AS delay_seconds,
            CASE WHEN t -> 'maxAttempts' IS NULL OR jsonb_typeof(t -> 'maxAttempts') = 'null' THEN 3
                 WHEN jsonb_typeof(t -> 'maxAttempts') = 'number'
                 THEN CASE WHEN (t ->> 'maxAttempts')::numeric BETWEEN 1 AND 100
                           THEN (t ->> 'maxAttempts')::numeric::integer END END AS max_attempts,
            CASE WHEN t -> 'priority' IS NULL OR jsonb_typeof(t -> 'priority') = 'null' THEN 0
                 WHEN jsonb_typeof(t -> 'priority') = 'number'
                 THEN CASE WHEN (t ->> 'priority')::numeric BETWEEN -100 AND 100
                            AND (t ->> 'priority')::numeric = trunc((t ->> 'priority')::numeric)
                           THEN (t ->> 'priority')::numeric::integer END END AS priority,
            CASE WHEN jsonb_typeof(t -> 'dedupeKey') = 'string' THEN t ->> 'dedupeKey' END AS dedupe_key,
            t -> 'dedupeKey' IS NULL OR jsonb_typeof(t -> 'dedupeKey') = 'null'
              OR (jsonb_typeof(t -> 'dedupeKey') = 'string' AND length(t ->> 'dedupeKey') BETWEEN 1 AND 200) AS dedupe_ok,
            CASE WHEN jsonb_typeof(t -> 'partitionKey') = 'string' THEN t ->> 'partitionKey' END AS partition_key,
            t -> 'partitionKey' IS NULL OR jsonb_typeof(t -> 'partitionKey') = 'null'
              OR (jsonb_typeof(t -> 'partitionKey') = 'string' AND length(t ->> 'partitionKey') BETWEEN 1 AND 200) AS partition_ok
       FROM (SELECT j.payload -> 'then' AS t) s
      WHERE jsonb_typeof(s.t) = 'object') f
   WHERE j.id = ANY (job_ids)
     AND j.status = 'succeeded' AND j.completed_at = now()
     AND length(f.task_type) BETWEEN 1 AND 100
     AND f.payload IS NOT NULL AND f.delay_seconds IS NOT NULL AND f.max_attempts IS NOT NULL AND f.dedupe_ok
     AND f.priority IS NOT NULL AND f.partition_ok
  ON CONFLICT (task_type, dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'processing')
  DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$function$;
