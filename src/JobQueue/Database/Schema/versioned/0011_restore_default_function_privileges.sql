-- The first layout revoked PUBLIC's EXECUTE from the migrating role's default privileges for the
-- whole database: every function that role creates later, a team's own RPCs in public included, lost
-- it. That was never JobQueue's to change (grants.sql's lock_down revokes PUBLIC's EXECUTE on
-- JobQueue's own functions, in the same transaction that creates them), so a database the first
-- layout migrated gets the default back; one it never touched is left as its owner set it.
DO $$
BEGIN
  IF EXISTS (SELECT FROM jobqueue.job_queue_schema_versions WHERE scriptname LIKE 'JobQueue.Database.Migrations.%') THEN
    ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO PUBLIC;
  END IF;
END
$$;
