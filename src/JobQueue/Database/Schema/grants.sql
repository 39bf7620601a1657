-- Applied at the end of every migration run that changed anything, to the app database and to
-- pg_cron's database: the privileges are stated here once, so no script has to end with them.
--
-- lock_down revokes every privilege on JobQueue's objects held by anyone but their owner (Supabase's
-- default privileges for anon, authenticated and service_role; PUBLIC's implicit EXECUTE), turns
-- row-level security on for every table, and leaves USAGE on the schema to jobqueue_app only.
CALL jobqueue.lock_down();

-- The functions the app's runtime login (a member of jobqueue_app) may call, and no other: it has no
-- privilege on any table, sequence or view, and reaches data only through these. Internal helpers,
-- trigger functions and procedures are not listed. A new function the app calls is added here.
-- Not listed on purpose: get_pg_net_cron_jobs and convert_pg_net_cron_job (other roles' pg_cron
-- commands: the app reaches them over the schema owner's connection only).
CALL jobqueue.set_app_execute(ARRAY[
  'create_cron_job',
  'cron_job_visibility',
  'cutover_parity_attempts',
  'delete_cron_job',
  'get_cron_job_runs',
  'get_cron_jobs',
  'get_cutover_cron_jobs',
  'job_queue_audit_list',
  'job_queue_audit_prune',
  'job_queue_audit_record',
  'job_queue_bulk_cancel',
  'job_queue_bulk_retry',
  'job_queue_cancel',
  'job_queue_claim',
  'job_queue_claim_missed_tick',
  'job_queue_claim_schedule_tick',
  'job_queue_cleanup_batch',
  'job_queue_complete',
  'job_queue_database_health',
  'job_queue_enqueue',
  'job_queue_enqueue_follow_ups',
  'job_queue_enqueue_many',
  'job_queue_enqueue_or_join',
  'job_queue_explain_wait',
  'job_queue_extend_leases',
  'job_queue_get',
  'job_queue_get_attempts',
  'job_queue_get_schedule_ticks',
  'job_queue_get_settings',
  'job_queue_get_task_limits',
  'job_queue_health',
  'job_queue_leader_elect',
  'job_queue_leader_get',
  'job_queue_leader_resign',
  'job_queue_list',
  'job_queue_mark_failed',
  'job_queue_mark_succeeded',
  'job_queue_pause_task_type',
  'job_queue_pending_gauges',
  'job_queue_repair_held',
  'job_queue_rescue_expired',
  'job_queue_retry',
  'job_queue_run_now',
  'job_queue_set_runner_idle',
  'job_queue_set_settings',
  'job_queue_set_task_limits',
  'job_queue_take_final_failures',
  'job_queue_throughput',
  'job_queue_throughput_compact',
  'job_queue_wake_idle_runners',
  'toggle_cron_job',
  'trim_cron_job_runs',
  'update_cron_schedule'
]);
