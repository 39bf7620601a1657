-- Seed 003's pg_cron jobs (supabase/migrations/..._schedule_all_cron_jobs.sql), all through pg_net.
SELECT cron.schedule_in_database('{{prefix}}generate-t5-invoices', '0 1 * * *', $cmd$
  SELECT net.http_post(
    url := public.get_secret('supabase_url') || '/functions/v1/generate-t5-invoices',
    headers := jsonb_build_object('Content-Type', 'application/json',
                                  'Authorization', 'Bearer ' || public.get_secret('service_role_key'),
                                  'apikey', public.get_secret('service_role_key')),
    body := '{}'::jsonb
  );
$cmd$, '{{database}}');
SELECT cron.schedule_in_database('{{prefix}}run-escalation-orchestration', '0 2 * * *', $cmd$
  SELECT net.http_post(
    url := public.get_secret('supabase_url') || '/functions/v1/run-escalation-orchestration',
    headers := jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || public.get_secret('cron_secret')),
    body := '{"force":false}'::jsonb
  );
$cmd$, '{{database}}');
SELECT cron.schedule_in_database('{{prefix}}schedule-create-zoom', '*/15 * * * *', $cmd$
  SELECT net.http_post(
    url := public.get_secret('edge_function_url') || '/some-scheduler-endpoint',
    headers := jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || public.get_secret('scheduler_secret_token')),
    body := jsonb_build_object('force_invoke', true)
  );
$cmd$, '{{database}}');
SELECT cron.schedule_in_database('{{prefix}}generate-monthly-invoices', '0 2 * * *', $cmd$
  SELECT net.http_post(
    url := public.get_secret('supabase_url') || '/functions/v1/generate-monthly-invoices',
    headers := jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || public.get_secret('service_role_key')),
    body := '{}'::jsonb
  );
$cmd$, '{{database}}');
SELECT cron.schedule_in_database('{{prefix}}escalate-overdue-bookings', '0 6 * * *', $cmd$
  SELECT net.http_post(
    url := public.get_secret('supabase_url') || '/functions/v1/escalate-overdue-bookings',
    headers := jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || public.get_secret('service_role_key')),
    body := '{}'::jsonb
  );
$cmd$, '{{database}}');
SELECT cron.schedule_in_database('{{prefix}}notification-worker', '* * * * *', $cmd$
  SELECT net.http_post(
    url := public.get_secret('supabase_url') || '/functions/v1/notification-worker',
    headers := jsonb_build_object(
        'Content-Type', 'application/json',
        'Authorization', 'Bearer ' || public.get_secret('service_role_key'),
        'apikey', public.get_secret('service_role_key')
    ),
    body := jsonb_build_object('limit', 5, 'runs', 1),
    timeout_milliseconds := 60000
  );
$cmd$, '{{database}}');
