-- Checks a cron job name: 1 to 63 letters, digits, "_", "." or "-", starting with a letter or
-- digit; raises 22023 with COLUMN 'jobName' otherwise. Internal check of the cron wrappers.
CREATE OR REPLACE FUNCTION jobqueue.cron_admin_check_name(job_name text)
 RETURNS void
 LANGUAGE plpgsql
 IMMUTABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
BEGIN
  IF job_name IS NULL OR job_name !~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$' THEN
    RAISE EXCEPTION 'job name must be 1 to 63 characters: letters, digits, "_", "." or "-", starting with a letter or digit'
      USING ERRCODE = '22023', COLUMN = 'jobName';
  END IF;
END
$function$;
