-- The compatibility wrappers in `public`, made only when asked (Database:PublicWrappers=true, or
-- `bash infra/local/migrate.sh --public-wrappers ...`): the RPC names callers of the replaced stack
-- use. Without the setting the migrator calls create_compat_wrappers with an empty list instead,
-- which removes the wrappers it made earlier and touches nothing else in `public`.
CALL jobqueue.create_compat_wrappers(ARRAY[
  'job_queue_enqueue', 'job_queue_enqueue_many', 'job_queue_claim', 'job_queue_mark_succeeded',
  'job_queue_mark_failed', 'job_queue_retry', 'job_queue_cancel', 'job_queue_run_now',
  'job_queue_get_settings', 'job_queue_set_settings', 'job_queue_list', 'job_queue_get',
  'job_queue_get_attempts', 'job_queue_health', 'job_queue_cleanup_batch',
  'get_cron_jobs', 'get_cron_job_runs', 'create_cron_job', 'toggle_cron_job', 'update_cron_schedule',
  'delete_cron_job']);
