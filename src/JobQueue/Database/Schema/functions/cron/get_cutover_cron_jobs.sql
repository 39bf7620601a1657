-- The pg_cron jobs the cut-over converted (jobqueue.cutover_cron_jobs), oldest conversion first,
-- without their commands: the rows the parity report (GET admin/cutover/parity,
-- CutoverParityStore) lists. Read where pg_cron lives and, when that is another database, in the
-- app database as well.
CREATE OR REPLACE FUNCTION jobqueue.get_cutover_cron_jobs()
 RETURNS TABLE(old_jobid bigint, old_jobname text, old_username text, old_database text, new_jobname text, converted_at timestamp with time zone, rolled_back_at timestamp with time zone)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
BEGIN
  RETURN QUERY
  SELECT c.old_jobid, c.old_jobname, c.old_username, c.old_database, c.new_jobname, c.converted_at, c.rolled_back_at
    FROM jobqueue.cutover_cron_jobs c
   ORDER BY c.converted_at, c.old_jobid;
END
$function$;
