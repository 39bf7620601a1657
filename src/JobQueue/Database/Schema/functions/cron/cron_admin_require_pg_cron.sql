-- Raises JQC01 when pg_cron is not installed in this database, with a HINT to point
-- Cron:ConnectionString at the database named by cron.database_name. The cron wrappers are PL/pgSQL
-- (bound at run time), so they install without pg_cron and call this first. Internal (granted to
-- nobody).
CREATE OR REPLACE FUNCTION jobqueue.cron_admin_require_pg_cron()
 RETURNS void
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
BEGIN
  IF to_regclass('cron.job') IS NULL THEN
    RAISE EXCEPTION 'pg_cron is not installed in database %', current_database()
      USING ERRCODE = 'JQC01',
            HINT = 'set Cron:ConnectionString to the database named by cron.database_name';
  END IF;
END
$function$;
