-- The single-job success of the positional signature SQL callers use (the library batches through
-- job_queue_complete): marks the job succeeded with output, and enqueues its follow-up when its
-- payload has "then". Without runner_id the current lease holder is assumed. True when the job was
-- still processing under that runner and was finished.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_mark_succeeded(id uuid, output jsonb DEFAULT NULL::jsonb, runner_id text DEFAULT NULL::text)
 RETURNS boolean
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  WITH q AS (SELECT j.locked_by, j.payload -> 'then' IS NOT NULL AS follow_up FROM job_queue j WHERE j.id = $1)
  SELECT EXISTS (
    SELECT 1 FROM job_queue_complete(
      COALESCE($3, (SELECT q.locked_by FROM q)),
      jsonb_build_array(jsonb_build_object('id', $1, 'succeeded', true, 'output', $2,
                                           'followUp', COALESCE((SELECT q.follow_up FROM q), false)))));
$function$;
