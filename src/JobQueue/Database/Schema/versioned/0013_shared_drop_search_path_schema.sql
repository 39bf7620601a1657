-- Until this script, every migration run that had a versioned script to apply let DbUp make a schema
-- named after the migrator's search path text: an empty schema literally called "jobqueue, pg_temp",
-- in the app database and in pg_cron's (a Supabase user saw it in the table editor). The migrator no
-- longer makes it (VersionedScripts gives DbUp the schema). Drop it where it exists and is empty;
-- RESTRICT (never CASCADE): a schema of that name that holds anything, or that another role owns, is
-- left as it is, with a notice.
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_namespace WHERE nspname = 'jobqueue, pg_temp') THEN
    BEGIN
      DROP SCHEMA "jobqueue, pg_temp" RESTRICT;
    EXCEPTION
      WHEN dependent_objects_still_exist OR insufficient_privilege THEN
        RAISE NOTICE 'schema "jobqueue, pg_temp" kept: %', SQLERRM;
    END;
  END IF;
END
$$;
