-- One job by id, every column, or no row (JobReadStore.GetAsync: GET admin/jobs/{id}).
CREATE OR REPLACE FUNCTION jobqueue.job_queue_get(id uuid)
 RETURNS SETOF jobqueue.job_queue
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  SELECT * FROM job_queue q WHERE q.id = $1;
$function$;
