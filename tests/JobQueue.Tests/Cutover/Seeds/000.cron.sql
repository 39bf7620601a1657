-- Seed 000's pg_cron jobs, made by the superuser (on Supabase: postgres) in pg_cron's database for the
-- seed's database: the edge-function sync and the worker call through pg_net with keys from Vault, an
-- enqueue through the legacy RPC, and a cleanup of the legacy table.
-- The enqueue jobs run daily here (the notes say every 30 minutes / hourly): an enqueue into the legacy
-- table while a test compares rows would be a false difference.
SELECT cron.schedule_in_database('{{prefix}}sync_game_platform_stats', '0 * * * *', $cmd$
  select
    net.http_post(
      url := (select decrypted_secret from vault.decrypted_secrets where name = 'project_url') || '/functions/v1/sync',
      headers := jsonb_build_object(
        'Content-Type','application/json',
        'Authorization','Bearer ' || (select decrypted_secret from vault.decrypted_secrets where name = 'service_role_key')
      ),
      timeout_milliseconds := 10000
    );
$cmd$, '{{database}}');
SELECT cron.schedule_in_database('{{prefix}}job_queue_worker', '*/5 * * * *', $cmd$
  select net.http_post(
    url := (select decrypted_secret from vault.decrypted_secrets where name = 'job_queue_worker_endpoint'),
    headers := jsonb_build_object('Content-Type', 'application/json',
                                  'x-job-runner-secret', (select decrypted_secret from vault.decrypted_secrets where name = 'job_queue_runner_secret')),
    body := '{"limit": 5}'::jsonb
  );
$cmd$, '{{database}}');
SELECT cron.schedule_in_database('{{prefix}}game_platform_sync_incremental', '45 4 * * *',
  $cmd$select job_queue_enqueue('game_platform_sync', '{"dryRun": false}'::jsonb)$cmd$, '{{database}}');
SELECT cron.schedule_in_database('{{prefix}}job_queue_cleanup_daily', '15 3 * * *',
  $cmd$delete from job_queue where status = 'succeeded' and completed_at < now() - interval '14 days'$cmd$, '{{database}}');
