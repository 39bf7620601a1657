-- cron.alter_job for the cron wrappers (toggle, reschedule, the pg_net conversion); a NULL argument
-- leaves that setting unchanged. pg_cron 1.4 revokes cron.alter_job from PUBLIC, so a missing grant
-- is reported as JQC01 with a HINT naming the GRANT to run, instead of a bare 42501. Internal.
CREATE OR REPLACE FUNCTION jobqueue.cron_admin_alter(job_id bigint, new_schedule text, new_active boolean)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
BEGIN
  PERFORM cron.alter_job(job_id => job_id, schedule => new_schedule, active => new_active);
EXCEPTION WHEN insufficient_privilege THEN
  RAISE EXCEPTION 'the database role % may not call cron.alter_job', current_user
    USING ERRCODE = 'JQC01',
          HINT = format('as an admin: GRANT EXECUTE ON FUNCTION cron.alter_job(bigint,text,text,text,text,boolean) TO %I', current_user);
END
$function$;
