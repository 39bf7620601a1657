-- What the cron summary (GET admin/cron-jobs, CronVisibilityReader) cannot list, counted as the
-- schema owner: its own pg_cron jobs that are not the app's (cron_admin_own_jobs: never listed, never
-- their command) and their runs that failed since `since`; and the jobs of other roles with their
-- failed runs (cron_job_counts), NULL (unknown) when the owner does not see every job. Raises JQC01
-- without pg_cron.
CREATE OR REPLACE FUNCTION jobqueue.cron_job_visibility(since timestamp with time zone)
 RETURNS TABLE(owner_role text, sees_all boolean, unlisted_jobs bigint, unlisted_failed_runs bigint, other_role_jobs bigint, other_role_failed_runs bigint)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  SELECT c.seen_as, c.sees_all, c.other_role_jobs, c.other_role_failed_runs
    INTO owner_role, sees_all, other_role_jobs, other_role_failed_runs
    FROM jobqueue.cron_job_counts(current_user, cron_job_visibility.since) c;
  SELECT count(*) INTO unlisted_jobs
    FROM cron.job j
   WHERE j.username = current_user AND j.jobid NOT IN (SELECT o.jobid FROM jobqueue.cron_admin_own_jobs() o);
  SELECT count(*) INTO unlisted_failed_runs
    FROM cron.job_run_details d
    JOIN cron.job j ON j.jobid = d.jobid
   WHERE j.username = current_user AND j.jobid NOT IN (SELECT o.jobid FROM jobqueue.cron_admin_own_jobs() o)
     AND d.status = 'failed' AND d.start_time >= cron_job_visibility.since;
  RETURN NEXT;
END
$function$;
