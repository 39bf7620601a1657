-- Turns processing on or off for the whole queue (QueueSettingsStore.SetSettingsAsync:
-- PUT admin/job-queue/settings): while processing_enabled is false no claim starts a job. A pause
-- first takes the pause switch's lock EXCLUSIVE (processing_switch_key): it waits for the claims in
-- flight (that read "enabled") to commit, and no claim starts an attempt after it commits;
-- updated_at is the time taken after that lock (every attempt started before it). paused_reason is
-- kept only while processing is disabled; updated_by records who changed it. Returns the updated row.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_set_settings(processing_enabled boolean, paused_reason text DEFAULT NULL::text, updated_by text DEFAULT NULL::text)
 RETURNS SETOF jobqueue.job_queue_settings
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  SELECT pg_advisory_xact_lock(processing_switch_key()) WHERE NOT $1;
  UPDATE job_queue_settings s
     SET processing_enabled = $1,
         paused_reason      = CASE WHEN $1 THEN NULL ELSE $2 END,
         updated_by         = $3,
         updated_at         = clock_timestamp()
   WHERE s.id
  RETURNING s.*;
$function$;
