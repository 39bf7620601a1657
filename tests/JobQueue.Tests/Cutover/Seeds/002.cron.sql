-- Seed 002's pg_cron jobs (supabase_cron-spec.md): the enqueues through the legacy RPC, and a worker
-- kick by GET with the runner secret as a bearer token (what Vercel Cron sends), from Vault.
-- The enqueue jobs run daily here (the notes say every 30 minutes / hourly): an enqueue into the legacy
-- table while a test compares rows would be a false difference.
SELECT cron.schedule_in_database('{{prefix}}game_platform_sync_incremental', '45 4 * * *',
  $cmd$select job_queue_enqueue('game_platform_sync', '{}'::jsonb)$cmd$, '{{database}}');
SELECT cron.schedule_in_database('{{prefix}}game_platform_totals_sweep_hourly', '50 4 * * *',
  $cmd$select public.job_queue_enqueue('game_platform_totals_sweep', '{"batchSize": 100}'::jsonb, now(), 3)$cmd$, '{{database}}');
SELECT cron.schedule_in_database('{{prefix}}kick_worker', '*/5 * * * *', $cmd$
  select net.http_get(
    url := (select decrypted_secret from vault.decrypted_secrets where name = 'job_queue_worker_endpoint' limit 1),
    headers := jsonb_build_object('Authorization', 'Bearer ' || (select decrypted_secret from vault.decrypted_secrets where name = 'job_queue_runner_secret' limit 1))
  )
$cmd$, '{{database}}');
