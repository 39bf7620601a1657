-- settings ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION jobqueue.job_queue_get_settings()
 RETURNS SETOF jobqueue.job_queue_settings
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  SELECT * FROM job_queue_settings WHERE id;
$function$;
