-- Follow-up jobs: a job's payload may carry
--   "then": {"taskType": ..., "payload": {...}, "delaySeconds": n, "dedupeKey": ..., "maxAttempts": n,
--            "priority": -100..100, "partitionKey": ...}
-- When the job succeeds, the follow-up is enqueued in the same transaction that records the success
-- (so there is never a succeeded job whose follow-up was lost, nor a follow-up of a job whose success
-- was rolled back), due delaySeconds later, triggered_by 'follow-up:<job id>', with the job's
-- request_id and trace context (trace_parent, 0150: its attempts link back to the request that started
-- the chain), with its own priority (default 0, as any enqueue) and partition key (flow control,
-- 0131/0132: priorities on follow-ups too, issue 15.3). A live job (pending or processing) with the
-- same task type and dedupe key absorbs it (the partial unique index of 0001).
--
-- Cost on the hot path: the runner flags the completions whose job has a follow-up ("followUp": true,
-- JobRunner checks the payload it already holds), so a batch without follow-ups pays one containment
-- test of the results array and nothing else: no second statement, no insert (an empty INSERT would
-- still fire the statement-level wake-up trigger of 0005), no re-read of the jobs.
-- The follow-up's shape is checked by the library before the job is created and before it runs; the
-- SQL below checks it again and skips a malformed one rather than failing the whole batch.
-- job_queue_complete is 0104's (snooze, bounded outputs) with the follow-up step added at its end
-- (no migration since 0104 redefines it). Numbered after main's 0131-0150 because the follow-up
-- insert writes their columns (priority, partition_key, trace_parent).

CREATE OR REPLACE FUNCTION jobqueue.job_queue_complete(runner_id text, results jsonb)
RETURNS TABLE (id uuid, status text, attempts integer, last_error text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH r AS MATERIALIZED (
    SELECT x.id, COALESCE(x.succeeded, false) AS succeeded, x.output, x.error,
           x."retryInMs" AS retry_in_ms, x."durationMs" AS duration_ms,
           COALESCE(x.snooze, false) AND NOT COALESCE(x.succeeded, false) AS snooze
      FROM jsonb_to_recordset(job_queue_complete.results)
           AS x(id uuid, succeeded boolean, output jsonb, error text, "retryInMs" bigint, "durationMs" integer, snooze boolean)
  ), upd AS (
    UPDATE job_queue j
       SET status       = CASE WHEN r.succeeded THEN 'succeeded'
                               WHEN r.snooze THEN 'pending'
                               WHEN r.retry_in_ms IS NOT NULL AND j.attempts < j.max_attempts THEN 'pending'
                               ELSE 'failed' END,
           attempts     = CASE WHEN r.snooze THEN GREATEST(j.attempts - 1, 0) ELSE j.attempts END,
           output       = CASE WHEN NOT r.succeeded THEN j.output
                               WHEN r.output IS NULL OR pg_column_size(r.output) < 256 THEN r.output
                               WHEN jobqueue.payload_limit_problem(r.output) IS NULL THEN r.output
                               ELSE jsonb_build_object('discarded', 'the output was ' || jobqueue.payload_limit_problem(r.output)) END,
           last_error   = CASE WHEN r.succeeded THEN NULL ELSE left(COALESCE(r.error, 'failed'), 4000) END,
           run_at       = CASE WHEN r.snooze THEN now() + COALESCE(r.retry_in_ms, 0) * interval '1 millisecond'
                               WHEN NOT r.succeeded AND r.retry_in_ms IS NOT NULL AND j.attempts < j.max_attempts
                               THEN now() + r.retry_in_ms * interval '1 millisecond'
                               ELSE j.run_at END,
           completed_at = CASE WHEN r.snooze THEN NULL
                               WHEN r.succeeded OR r.retry_in_ms IS NULL OR j.attempts >= j.max_attempts THEN now() END,
           locked_by    = NULL,
           locked_until = NULL,
           updated_at   = now()
      FROM r
     WHERE j.id = r.id
       -- rows by primary key (never a scan of every processing job); "IS TRUE" keeps the status
       -- test a filter so that the planner does not pick the status index instead
       AND j.id = ANY (ARRAY(SELECT r2.id FROM r r2))
       AND j.locked_by = job_queue_complete.runner_id
       AND (j.status = 'processing') IS TRUE
    RETURNING j.id, j.status, j.attempts, j.last_error, j.started_at
  ), hist AS (
    INSERT INTO job_queue_attempts (job_id, attempt, runner_id, started_at, outcome, error, duration_ms)
    SELECT u.id, CASE WHEN r.snooze THEN u.attempts + 1 ELSE u.attempts END, job_queue_complete.runner_id,
           COALESCE(u.started_at, now()),
           CASE WHEN r.snooze THEN 'snoozed'
                WHEN u.status = 'succeeded' THEN 'succeeded' WHEN u.status = 'pending' THEN 'retry' ELSE 'failed' END,
           u.last_error,
           COALESCE(r.duration_ms,
                    GREATEST(0, (extract(epoch FROM now() - COALESCE(u.started_at, now())) * 1000)::integer))
      FROM upd u JOIN r ON r.id = u.id
  )
  SELECT u.id, u.status, u.attempts, u.last_error FROM upd u;

  IF job_queue_complete.results @> '[{"succeeded": true, "followUp": true}]' THEN
    PERFORM jobqueue.job_queue_enqueue_follow_ups(ARRAY(
      SELECT (x ->> 'id')::uuid
        FROM jsonb_array_elements(job_queue_complete.results) x
       WHERE x @> '{"succeeded": true, "followUp": true}'));
  END IF;
END
$$;

-- The follow-ups of jobs that this transaction has just marked succeeded (their completed_at is this
-- transaction's now(), which also keeps a job finished earlier by another runner out). Internal:
-- called by job_queue_complete only, not granted to the app.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_enqueue_follow_ups(job_ids uuid[])
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
DECLARE
  n integer;
BEGIN
  INSERT INTO job_queue AS q (task_type, payload, run_at, max_attempts, dedupe_key, triggered_by, request_id,
                              priority, partition_key, trace_parent)
  SELECT f.task_type, f.payload, now() + make_interval(secs => f.delay_seconds), f.max_attempts, f.dedupe_key,
         'follow-up:' || j.id, j.request_id, f.priority, f.partition_key, j.trace_parent
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
$$;

-- the single-job finish existing callers use: its job's follow-up too
CREATE OR REPLACE FUNCTION jobqueue.job_queue_mark_succeeded(id uuid, output jsonb DEFAULT NULL, runner_id text DEFAULT NULL)
RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
  WITH q AS (SELECT j.locked_by, j.payload -> 'then' IS NOT NULL AS follow_up FROM job_queue j WHERE j.id = $1)
  SELECT EXISTS (
    SELECT 1 FROM job_queue_complete(
      COALESCE($3, (SELECT q.locked_by FROM q)),
      jsonb_build_array(jsonb_build_object('id', $1, 'succeeded', true, 'output', $2,
                                           'followUp', COALESCE((SELECT q.follow_up FROM q), false)))));
$$;

CALL jobqueue.lock_down();
CALL jobqueue.grant_app_execute('job\_queue\_complete');
CALL jobqueue.grant_app_execute('job\_queue\_mark\_succeeded');
