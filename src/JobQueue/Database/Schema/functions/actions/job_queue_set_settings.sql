-- Turns processing on or off for the whole queue (QueueSettingsStore.SetSettingsAsync:
-- PUT admin/job-queue/settings): while processing_enabled is false the runners claim no job.
-- paused_reason is kept only while processing is disabled; updated_by records who changed it.
-- Returns the updated row.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_set_settings(processing_enabled boolean, paused_reason text DEFAULT NULL::text, updated_by text DEFAULT NULL::text)
 RETURNS SETOF jobqueue.job_queue_settings
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  UPDATE job_queue_settings s
     SET processing_enabled = $1,
         paused_reason      = CASE WHEN $1 THEN NULL ELSE $2 END,
         updated_by         = $3,
         updated_at         = now()
   WHERE s.id
  RETURNING s.*;
$function$;
