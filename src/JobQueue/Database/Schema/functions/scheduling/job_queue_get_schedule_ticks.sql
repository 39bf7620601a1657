CREATE OR REPLACE FUNCTION jobqueue.job_queue_get_schedule_ticks()
 RETURNS SETOF jobqueue.job_queue_schedule_ticks
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  SELECT * FROM job_queue_schedule_ticks ORDER BY name;
$function$;
