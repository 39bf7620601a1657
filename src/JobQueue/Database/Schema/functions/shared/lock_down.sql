-- Every privilege on JobQueue's objects held by anyone but their owner is revoked, whatever granted
-- it (default privileges for anon/authenticated/service_role, PUBLIC's implicit EXECUTE on
-- functions): tables, views and sequences of `jobqueue` end up owner-only (tables with row-level
-- security on, and no policy); functions of `jobqueue` and the wrappers in `public` keep EXECUTE
-- for jobqueue_app only; the schema gives USAGE to jobqueue_app only. Called by ../../grants.sql at
-- the end of every migration run that changed anything, in the app database and in pg_cron's.
CREATE OR REPLACE PROCEDURE jobqueue.lock_down()
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $procedure$
DECLARE
  o record;
  g record;
BEGIN
  FOR o IN
    SELECT DISTINCT a.grantee
      FROM pg_namespace n, aclexplode(n.nspacl) a
     WHERE n.oid = 'jobqueue'::regnamespace AND a.grantee <> n.nspowner
  LOOP
    EXECUTE format('REVOKE ALL ON SCHEMA jobqueue FROM %s', jobqueue.grantee_name(o.grantee));
  END LOOP;
  GRANT USAGE ON SCHEMA jobqueue TO jobqueue_app;

  -- row-level security on every table, with no policy: should a privilege ever leak, it shows no rows
  -- (the owner, who runs the functions, is not subject to it)
  FOR o IN
    SELECT c.oid::regclass AS rel FROM pg_class c
     WHERE c.relnamespace = 'jobqueue'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity
  LOOP
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', o.rel);
  END LOOP;

  FOR o IN
    SELECT DISTINCT c.oid::regclass AS rel, c.relkind, a.grantee
      FROM pg_class c, aclexplode(c.relacl) a
     WHERE c.relnamespace = 'jobqueue'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
       AND a.grantee <> c.relowner
  LOOP
    EXECUTE format('REVOKE ALL ON %s %s FROM %s',
                   CASE WHEN o.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, o.rel, jobqueue.grantee_name(o.grantee));
  END LOOP;

  FOR o IN
    SELECT p.oid, p.oid::regprocedure AS signature, p.proowner,
           CASE WHEN p.prokind = 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END AS kind
      FROM pg_proc p
     WHERE p.pronamespace = 'jobqueue'::regnamespace
        OR (p.pronamespace = 'public'::regnamespace
            AND obj_description(p.oid, 'pg_proc') LIKE 'jobqueue: compatibility wrapper%')
  LOOP
    -- a NULL acl means PUBLIC may execute: revoking materializes the acl
    EXECUTE format('REVOKE ALL ON %s %s FROM PUBLIC', o.kind, o.signature);
    FOR g IN
      SELECT DISTINCT a.grantee
        FROM pg_proc p, aclexplode(p.proacl) a
       WHERE p.oid = o.oid AND a.grantee NOT IN (0, o.proowner, 'jobqueue_app'::regrole)
    LOOP
      EXECUTE format('REVOKE ALL ON %s %s FROM %s', o.kind, o.signature, jobqueue.grantee_name(g.grantee));
    END LOOP;
  END LOOP;
END
$procedure$;
