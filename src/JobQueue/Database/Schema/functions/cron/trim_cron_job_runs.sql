-- Run history upkeep where pg_cron lives: deletes one batch (1..50,000, oldest first) of the runs
-- of the app's cron jobs (those recorded in jobqueue.cron_jobs) that ended before older_than, and
-- returns how many; other jobs' runs are never touched. The cleanup job calls it on the cron
-- connection (CronJobStore.TrimRunHistoryAsync) until done. Returns 0 without pg_cron.
CREATE OR REPLACE FUNCTION jobqueue.trim_cron_job_runs(older_than timestamp with time zone, batch_size integer DEFAULT 1000)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
DECLARE
  n integer;
BEGIN
  IF to_regclass('cron.job_run_details') IS NULL THEN
    RETURN 0;
  END IF;
  DELETE FROM cron.job_run_details d
   WHERE d.runid IN (SELECT x.runid FROM cron.job_run_details x
                      WHERE x.end_time < trim_cron_job_runs.older_than
                        AND x.jobid IN (SELECT r.jobid FROM jobqueue.cron_jobs r)
                      ORDER BY x.runid
                      LIMIT LEAST(GREATEST(COALESCE(trim_cron_job_runs.batch_size, 1000), 1), 50000));
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$function$;
