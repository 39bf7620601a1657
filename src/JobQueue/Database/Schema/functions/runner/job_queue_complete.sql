-- Finishes attempts in one round trip (JobQueueStore.CompleteAsync; job_queue_mark_succeeded and
-- job_queue_mark_failed for one job) and returns (id, status, attempts, last_error) of each job
-- finished.
-- results: [{"id": uuid, "succeeded": bool, "output": json, "error": text, "retryInMs": bigint or
-- null (null = do not retry), "durationMs": int, "snooze": bool, "followUp": bool}].
-- Succeeded: status succeeded with the output (an output over the payload limits is replaced by a
-- note saying why, so that a finish is never refused), and last_error the result's error: null, or
-- what failed in a job that succeeded partially (PartialJobResult: outcome "partial" in the API).
-- Failed: pending again at now + retryInMs while attempts are left, else failed. Snoozed: pending at now + retryInMs with the attempt given
-- back (a handler asked to wait, or the runner does not know the task type). Each is recorded in
-- the attempt history (succeeded, retry, failed or snoozed).
-- Fencing: only jobs still processing under runner_id's lease are finished; a late runner whose
-- lease was taken over changes nothing, and its job is absent from the result.
-- Results flagged "followUp" get their job's follow-up enqueued in the same transaction
-- (job_queue_enqueue_follow_ups). The shared held-flag locks of the follow-up types are taken
-- first, in sorted order, before any job row is touched (see the body and held_flag_key).
CREATE OR REPLACE FUNCTION jobqueue.job_queue_complete(runner_id text, results jsonb)
 RETURNS TABLE(id uuid, status text, attempts integer, last_error text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
#variable_conflict use_column
DECLARE
  follow_up_ids uuid[];
  follow_up_type text;
BEGIN
  -- the shared held-flag lock of each follow-up's task type (sorted) before any job row is touched:
  -- a flip of that type (held_flag_sync, which locks the type's processing rows) and this finish
  -- then wait for each other in one order only
  IF job_queue_complete.results @> '[{"succeeded": true, "followUp": true}]' THEN
    follow_up_ids := ARRAY(
      SELECT (x ->> 'id')::uuid
        FROM jsonb_array_elements(job_queue_complete.results) x
       WHERE x @> '{"succeeded": true, "followUp": true}');
    FOR follow_up_type IN
      SELECT DISTINCT j.payload -> 'then' ->> 'taskType' FROM job_queue j
       WHERE j.id = ANY (follow_up_ids) AND jsonb_typeof(j.payload -> 'then' -> 'taskType') = 'string'
       ORDER BY 1
    LOOP
      PERFORM pg_advisory_xact_lock_shared(held_flag_key(follow_up_type));
    END LOOP;
  END IF;

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
           last_error   = CASE WHEN r.succeeded THEN left(r.error, 4000) ELSE left(COALESCE(r.error, 'failed'), 4000) END,
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

  IF follow_up_ids IS NOT NULL THEN
    PERFORM jobqueue.job_queue_enqueue_follow_ups(follow_up_ids);
  END IF;
END
$function$;
