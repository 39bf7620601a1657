-- Seed 001's pg_cron job: the edge function that processes the queue, every minute, with the service
-- role key from a database setting (the notes' "Option 1").
SELECT cron.schedule_in_database('{{prefix}}process-auto-sync-jobs', '* * * * *', $cmd$
  SELECT net.http_post(
    url := '{{receiver}}/functions/v1/process-auto-sync-jobs',
    headers := jsonb_build_object(
      'Content-Type', 'application/json',
      'Authorization', 'Bearer ' || current_setting('app.settings.service_role_key', true)
    ),
    body := jsonb_build_object('trigger', 'cron')
  ) AS request_id;
$cmd$, '{{database}}');
