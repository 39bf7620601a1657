-- Checks a cron schedule: 5 space-separated fields of digits and * , - / (what pg_cron 1.4 and
-- every later version parse the same way), at most 100 characters; raises 22023 with COLUMN
-- 'schedule' otherwise. pg_cron itself still validates the values when the job is stored. Internal
-- check.
CREATE OR REPLACE FUNCTION jobqueue.cron_admin_check_schedule(job_schedule text)
 RETURNS void
 LANGUAGE plpgsql
 IMMUTABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
BEGIN
  IF job_schedule IS NULL OR length(job_schedule) > 100
     OR job_schedule !~ '^[0-9*,/-]+ [0-9*,/-]+ [0-9*,/-]+ [0-9*,/-]+ [0-9*,/-]+$' THEN
    RAISE EXCEPTION 'schedule must be 5 space-separated cron fields (minute hour day-of-month month day-of-week) of digits and * , - /'
      USING ERRCODE = '22023', COLUMN = 'schedule';
  END IF;
END
$function$;
