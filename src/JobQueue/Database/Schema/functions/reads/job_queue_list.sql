-- The job list, newest first by id (job ids are time-ordered, so that is creation order)
-- (JobReadStore.ListAsync: GET admin/jobs and the dashboard). Filtered as job_filter_clause says
-- (status, task type, creation window, payload text); before_id is the keyset cursor (the last id
-- of the previous page); limit is clamped to 1..500. The statement is dynamic, so that each filter
-- combination is planned with its values. For pending or processing jobs, while the counters show
-- at most 10,000 of them, the matching rows are read from their partial index and sorted, instead
-- of a walk back along the primary key.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_list(status text DEFAULT NULL::text, task_type text DEFAULT NULL::text, "limit" integer DEFAULT 50, before_id uuid DEFAULT NULL::uuid, created_after timestamp with time zone DEFAULT NULL::timestamp with time zone, created_before timestamp with time zone DEFAULT NULL::timestamp with time zone, payload_text text DEFAULT NULL::text)
 RETURNS SETOF jobqueue.job_queue
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
DECLARE
  matching text := 'SELECT j.* FROM job_queue j WHERE true'
    || job_filter_clause($1 IS NOT NULL, $2 IS NOT NULL, $5 IS NOT NULL, $6 IS NOT NULL, $7 IS NOT NULL)
    || CASE WHEN $4 IS NOT NULL THEN ' AND j.id < $6' ELSE '' END;
  few boolean := false;
BEGIN
  -- Pending and processing jobs have an index each (due, lease) but not in id order. While they are
  -- few (the exact counters in job_queue_status_counts say so), read them all from that index and sort them: the
  -- planner, misled by statistics taken while a backlog was large, would otherwise walk the primary
  -- key backwards through every finished row (measured: 1.4 s at 1,000,000 rows instead of 0.1 ms).
  IF $1 IN ('pending', 'processing') THEN
    SELECT COALESCE(CASE WHEN $1 = 'pending' THEN sum(c.pending) ELSE sum(c.processing) END, 0) <= 10000
      INTO few FROM job_queue_status_counts c;
  END IF;
  RETURN QUERY EXECUTE
    CASE WHEN few THEN 'WITH m AS MATERIALIZED (' || matching || ') SELECT * FROM m ORDER BY m.id DESC LIMIT $7'
         ELSE matching || ' ORDER BY j.id DESC LIMIT $7' END
  USING $1, $2, $5, $6, like_pattern($7), $4, LEAST(GREATEST(COALESCE($3, 50), 1), 500);
END
$function$;
