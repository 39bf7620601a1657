-- The queue's settings, the single row of job_queue_settings: the pause switch (processing_enabled,
-- paused_reason) and who changed it when. Read by QueueSettingsStore for
-- GET admin/job-queue/settings and the readiness probe, and by the runners, which claim nothing
-- while processing is disabled.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_get_settings()
 RETURNS SETOF jobqueue.job_queue_settings
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  SELECT * FROM job_queue_settings WHERE id;
$function$;
