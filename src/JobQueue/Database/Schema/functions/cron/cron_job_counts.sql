-- The pg_cron jobs of roles other than owner_role and their runs that failed since `since`, as the
-- CALLER sees them (SECURITY INVOKER): pg_cron's row-level security shows a role only its own jobs
-- unless it is a superuser, bypasses RLS or owns cron.job. Returns the caller's role, whether it sees
-- every job, and the two counts, NULL (unknown, never 0) when it does not see every job.
-- cron_job_visibility calls it as the schema owner; the cron summary calls it on
-- Database:MigrationConnectionString when the owner cannot see every job (CronVisibilityReader).
-- Raises JQC01 without pg_cron. Not granted to the app.
CREATE OR REPLACE FUNCTION jobqueue.cron_job_counts(owner_role text, since timestamp with time zone)
 RETURNS TABLE(seen_as text, sees_all boolean, other_role_jobs bigint, other_role_failed_runs bigint)
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  seen_as := current_user;
  SELECT r.rolsuper OR r.rolbypassrls OR NOT c.relrowsecurity
         OR (NOT c.relforcerowsecurity AND pg_has_role(current_user, c.relowner, 'USAGE'))
    INTO sees_all
    FROM pg_roles r, pg_class c
   WHERE r.rolname = current_user AND c.oid = 'cron.job'::regclass;
  sees_all := COALESCE(sees_all, false);
  IF sees_all THEN
    SELECT count(*) INTO other_role_jobs FROM cron.job j WHERE j.username <> cron_job_counts.owner_role;
    SELECT count(*) INTO other_role_failed_runs
      FROM cron.job_run_details d
      JOIN cron.job j ON j.jobid = d.jobid
     WHERE j.username <> cron_job_counts.owner_role AND d.status = 'failed' AND d.start_time >= cron_job_counts.since;
  END IF;
  RETURN NEXT;
END
$function$;
