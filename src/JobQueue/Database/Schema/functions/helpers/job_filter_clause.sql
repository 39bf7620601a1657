-- The conditions (" AND ..." over the alias j) of the job filter that job_queue_list,
-- job_queue_bulk_retry and job_queue_bulk_cancel share, for the values given, always over the
-- parameters $1..$5 = status, task type, created after (inclusive), created before (exclusive),
-- payload pattern (like_pattern, matched case-insensitively against the payload's JSON text). Each
-- caller runs its statement dynamically, so that each combination is planned with its values (a
-- status picks its index). Internal.
CREATE OR REPLACE FUNCTION jobqueue.job_filter_clause(has_status boolean, has_task_type boolean, has_after boolean, has_before boolean, has_text boolean)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  SELECT CASE WHEN $1 THEN ' AND j.status = $1' ELSE '' END
      || CASE WHEN $2 THEN ' AND j.task_type = $2' ELSE '' END
      || CASE WHEN $3 THEN ' AND j.created_at >= $3' ELSE '' END
      || CASE WHEN $4 THEN ' AND j.created_at < $4' ELSE '' END
      || CASE WHEN $5 THEN ' AND j.payload::text ILIKE $5' ELSE '' END;
$function$;
