-- Sets a task type's limits (TaskLimitStore.SetAsync: POST admin/task-limits/set, and the
-- TaskLimits settings at start): max_concurrency (processing jobs at once; an expired lease counts
-- until rescued); max_concurrency_per_partition per partition (the job's partition_key, else the
-- text of its payload's top-level key partition_by); rate_limit starts per rate_interval_ms across
-- all runners. A NULL clears that limit; a row left with no limit and no pause in force is deleted
-- (the type runs freely) and nothing is returned; clearing the rate limit drops the type's start
-- log. source: 'api' (an operator) or 'settings' (the TaskLimits:<type>:* defaults, which never
-- overwrite an operator's row).
-- Whether the row was there before is the upsert's own report (xmax = 0: the row version was
-- inserted; an update under ON CONFLICT leaves the row's locker in xmax), read under the row lock
-- the upsert takes, so that two writers of one type cannot both miss a flip; held_flag_sync
-- rewrites the type's held flags only when the row appeared (inserted, not deleted) or went
-- (updated, then deleted).
CREATE OR REPLACE FUNCTION jobqueue.job_queue_set_task_limits(task_type text, max_concurrency integer, partition_by text, max_concurrency_per_partition integer, rate_limit integer, rate_interval_ms bigint, source text DEFAULT 'api'::text, updated_by text DEFAULT NULL::text)
 RETURNS SETOF jobqueue.job_queue_task_limits
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
#variable_conflict use_column
DECLARE
  inserted boolean;
  deleted integer;
BEGIN
  IF job_queue_set_task_limits.source = 'settings'
     AND EXISTS (SELECT FROM job_queue_task_limits l WHERE l.task_type = job_queue_set_task_limits.task_type AND l.source = 'api') THEN
    -- an operator's limits win over the settings' defaults
    RETURN QUERY SELECT * FROM job_queue_task_limits l WHERE l.task_type = job_queue_set_task_limits.task_type;
    RETURN;
  END IF;
  INSERT INTO job_queue_task_limits AS l (task_type, max_concurrency, partition_by, max_concurrency_per_partition,
                                          rate_limit, rate_interval_ms, source, updated_by, updated_at)
  VALUES (job_queue_set_task_limits.task_type, job_queue_set_task_limits.max_concurrency, job_queue_set_task_limits.partition_by,
          job_queue_set_task_limits.max_concurrency_per_partition, job_queue_set_task_limits.rate_limit,
          job_queue_set_task_limits.rate_interval_ms, job_queue_set_task_limits.source, job_queue_set_task_limits.updated_by, now())
  ON CONFLICT (task_type) DO UPDATE
     SET max_concurrency = EXCLUDED.max_concurrency, partition_by = EXCLUDED.partition_by,
         max_concurrency_per_partition = EXCLUDED.max_concurrency_per_partition, rate_limit = EXCLUDED.rate_limit,
         rate_interval_ms = EXCLUDED.rate_interval_ms, source = EXCLUDED.source, updated_by = EXCLUDED.updated_by,
         updated_at = now()
  RETURNING (l.xmax = 0) INTO inserted;
  DELETE FROM job_queue_task_limits l
   WHERE l.task_type = job_queue_set_task_limits.task_type AND l.max_concurrency IS NULL AND l.partition_by IS NULL
     AND l.rate_limit IS NULL AND (l.paused_until IS NULL OR l.paused_until <= now());
  GET DIAGNOSTICS deleted = ROW_COUNT;
  IF job_queue_set_task_limits.rate_limit IS NULL THEN
    DELETE FROM job_queue_task_starts s WHERE s.task_type = job_queue_set_task_limits.task_type;
  END IF;
  IF inserted = (deleted = 0) THEN
    PERFORM held_flag_sync(job_queue_set_task_limits.task_type);
  END IF;
  RETURN QUERY SELECT * FROM job_queue_task_limits l WHERE l.task_type = job_queue_set_task_limits.task_type;
END
$function$;
