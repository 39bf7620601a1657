-- Why a pending job is not running, in one line from the live state (JobReadStore.ExplainWaitAsync:
-- GET admin/jobs/{id} and the job list, field "wait"); no row for a job that is not pending.
-- reason, in the order checked (the first that holds is returned):
--   not_due            run_at in the future (never attempted, or snoozed)
--   backoff            run_at in the future after a failed attempt
--   processing_paused  job_queue_settings.processing_enabled is false
--   task_type_paused   the type's limits row has paused_until in the future
--   held_flag_stale    the job's held flag disagrees with the limits (see held_flag_key): neither
--                      part of the claim reads it until job_queue_repair_held
--   concurrency_limit  max_concurrency of its type reached (count = processing jobs of the type)
--   partition_limit    max_concurrency_per_partition of its partition reached (count = running)
--   rate_limit         rate_limit starts of its type in the window (until = when a start expires)
--   lower_priority     due jobs of higher priority that the claim takes first (count, at most 1000)
--   queued_behind      due jobs of its priority ahead of it in (run_at, id) order (count, at most 1000)
--   no_runner          first in line, but no job has started for stale_after or longer (since =
--                      the last start seen: processing jobs and the newest attempt record)
--   next_in_line       first in line with runners active: the next claim takes it
-- Lookups only by index: the job by key, the limits row by key, processing jobs through the lease
-- index, the start log through its (task_type, started_at) index, the jobs ahead through the due
-- index (types without limits) or the type's range of the held index, each count stopped at 1,000.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_explain_wait(id uuid, stale_after interval DEFAULT '00:01:00'::interval)
 RETURNS TABLE(reason text, message text, at timestamp with time zone, count bigint)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
#variable_conflict use_column
DECLARE
  j        job_queue%ROWTYPE;
  s        job_queue_settings%ROWTYPE;
  lim      job_queue_task_limits%ROWTYPE;
  limited  boolean;
  part     text;
  n        bigint;
  first_at timestamptz;
  last_at  timestamptz;
BEGIN
  SELECT * INTO j FROM job_queue q WHERE q.id = job_queue_explain_wait.id;
  IF NOT FOUND OR j.status <> 'pending' THEN
    RETURN;
  END IF;

  IF j.run_at > now() THEN
    IF j.attempts > 0 AND j.last_error IS NOT NULL AND j.last_error NOT LIKE 'snoozed:%' THEN
      RETURN QUERY SELECT 'backoff', format('backoff after attempt %s of %s: due at %s', j.attempts, j.max_attempts, to_json(j.run_at) #>> '{}'),
                          j.run_at, j.attempts::bigint;
    ELSE
      RETURN QUERY SELECT 'not_due', format('not due until %s', to_json(j.run_at) #>> '{}'), j.run_at, NULL::bigint;
    END IF;
    RETURN;
  END IF;

  SELECT * INTO s FROM job_queue_settings x WHERE x.id;
  IF FOUND AND NOT s.processing_enabled THEN
    RETURN QUERY SELECT 'processing_paused',
                        format('processing is paused%s since %s', COALESCE(' (' || s.paused_reason || ')', ''), to_json(s.updated_at) #>> '{}'),
                        s.updated_at, NULL::bigint;
    RETURN;
  END IF;

  SELECT * INTO lim FROM job_queue_task_limits l WHERE l.task_type = j.task_type;
  limited := FOUND;
  IF limited AND lim.paused_until > now() THEN
    RETURN QUERY SELECT 'task_type_paused',
                        format('task type %s is paused until %s%s', j.task_type, to_json(lim.paused_until) #>> '{}',
                               COALESCE(' (' || lim.paused_reason || ')', '')),
                        lim.paused_until, NULL::bigint;
    RETURN;
  END IF;

  IF limited <> j.held THEN
    RETURN QUERY SELECT 'held_flag_stale',
                        format('its held flag (%s) does not match the limits of %s: it waits for the held-flag repair', j.held, j.task_type),
                        NULL::timestamptz, NULL::bigint;
    RETURN;
  END IF;

  IF limited AND lim.max_concurrency IS NOT NULL THEN
    n := (SELECT count(*) FROM job_queue q WHERE q.status = 'processing' AND q.task_type = j.task_type);
    IF n >= lim.max_concurrency THEN
      RETURN QUERY SELECT 'concurrency_limit',
                          format('concurrency limit %s of %s reached (%s running)', lim.max_concurrency, j.task_type, n),
                          NULL::timestamptz, n;
      RETURN;
    END IF;
  END IF;

  IF limited AND lim.partition_by IS NOT NULL THEN
    part := COALESCE(j.partition_key, j.payload ->> lim.partition_by);
    n := (SELECT count(*) FROM job_queue q
           WHERE q.status = 'processing' AND q.task_type = j.task_type
             AND COALESCE(q.partition_key, q.payload ->> lim.partition_by) IS NOT DISTINCT FROM part);
    IF n >= lim.max_concurrency_per_partition THEN
      RETURN QUERY SELECT 'partition_limit',
                          format('concurrency limit %s of %s partition %s reached (%s running)', lim.max_concurrency_per_partition,
                                 j.task_type, COALESCE(quote_literal(part), '(none)'), n),
                          NULL::timestamptz, n;
      RETURN;
    END IF;
  END IF;

  IF limited AND lim.rate_limit IS NOT NULL THEN
    SELECT count(*), min(t.started_at) INTO n, first_at FROM job_queue_task_starts t
     WHERE t.task_type = j.task_type AND t.started_at > now() - lim.rate_interval_ms * interval '1 millisecond';
    IF n >= lim.rate_limit THEN
      first_at := first_at + lim.rate_interval_ms * interval '1 millisecond';
      RETURN QUERY SELECT 'rate_limit',
                          format('rate limit %s per %s s of %s reached until %s', lim.rate_limit, trim_scale(lim.rate_interval_ms / 1000.0),
                                 j.task_type, to_json(first_at) #>> '{}'),
                          first_at, n;
      RETURN;
    END IF;
  END IF;

  -- the due jobs the claim takes before this one: its type's range of the held index, or the due index
  IF j.held THEN
    n := (SELECT count(*) FROM (
            SELECT 1 FROM job_queue q
             WHERE q.status = 'pending' AND q.held AND q.task_type = j.task_type AND q.priority > j.priority AND q.run_at <= now()
             LIMIT 1000) x);
  ELSE
    n := (SELECT count(*) FROM (
            SELECT 1 FROM job_queue q
             WHERE q.status = 'pending' AND NOT q.held AND q.priority > j.priority AND q.run_at <= now()
             LIMIT 1000) x);
  END IF;
  IF n > 0 THEN
    RETURN QUERY SELECT 'lower_priority',
                        format('lower priority (%s) than %s%s due jobs%s', j.priority, n, CASE WHEN n >= 1000 THEN '+' ELSE '' END,
                               CASE WHEN j.held THEN ' of ' || j.task_type ELSE '' END),
                        NULL::timestamptz, n;
    RETURN;
  END IF;
  IF j.held THEN
    n := (SELECT count(*) FROM (
            SELECT 1 FROM job_queue q
             WHERE q.status = 'pending' AND q.held AND q.task_type = j.task_type AND q.priority = j.priority
               AND (q.run_at, q.id) < (j.run_at, j.id)
             LIMIT 1000) x);
  ELSE
    n := (SELECT count(*) FROM (
            SELECT 1 FROM job_queue q
             WHERE q.status = 'pending' AND NOT q.held AND q.priority = j.priority
               AND (q.run_at, q.id) < (j.run_at, j.id)
             LIMIT 1000) x);
  END IF;
  IF n > 0 THEN
    RETURN QUERY SELECT 'queued_behind',
                        format('behind %s%s due jobs of the same priority%s', n, CASE WHEN n >= 1000 THEN '+' ELSE '' END,
                               CASE WHEN j.held THEN ' of ' || j.task_type ELSE '' END),
                        NULL::timestamptz, n;
    RETURN;
  END IF;

  -- first in line: is anyone claiming? the newest start among processing jobs and attempt records
  last_at := GREATEST((SELECT max(q.started_at) FROM job_queue q WHERE q.status = 'processing'),
                      (SELECT a.started_at FROM job_queue_attempts a ORDER BY a.id DESC LIMIT 1));
  IF last_at IS NULL OR last_at < now() - job_queue_explain_wait.stale_after THEN
    RETURN QUERY SELECT 'no_runner',
                        CASE WHEN last_at IS NULL THEN 'due and first in line, but no runner has claimed a job yet'
                             ELSE format('due and first in line, but no runner has claimed a job in the last %s s (last start %s)',
                                         floor(extract(epoch FROM now() - last_at))::bigint, to_json(last_at) #>> '{}') END,
                        last_at, NULL::bigint;
    RETURN;
  END IF;
  RETURN QUERY SELECT 'next_in_line',
                      format('due and first in line: the next claim takes it (last start %s s ago)',
                             floor(extract(epoch FROM now() - last_at))::bigint),
                      last_at, NULL::bigint;
END
$function$;
