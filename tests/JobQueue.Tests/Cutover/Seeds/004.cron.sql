-- Seed 004's pg_cron job: the nightly power ratings edge function, its key written into the command.
SELECT cron.schedule_in_database('{{prefix}}call-update-power-ratings', '30 2 * * *', $cmd$
  select net.http_post(
    url := '{{receiver}}/functions/v1/call-update-power-ratings',
    headers := '{"Content-Type": "application/json", "Authorization": "Bearer {{literal_key}}"}'::jsonb,
    body := '{"triggeredBy": "cron"}'::jsonb
  );
$cmd$, '{{database}}');
