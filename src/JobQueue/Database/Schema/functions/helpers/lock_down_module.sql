-- A module's grants.sql (ModuleSchema: e.g. the Game Platform's, schema game_platform) calls this with
-- its schema and the functions the app calls, as ../../grants.sql does for jobqueue with lock_down and
-- set_app_execute: every privilege on the schema's objects held by anyone but their owner is revoked
-- (default privileges such as Supabase's, PUBLIC's implicit EXECUTE), tables get row-level security
-- with no policy, the schema gives USAGE to jobqueue_app only, and jobqueue_app may EXECUTE exactly
-- the functions named in app_functions. Refuses jobqueue, public and the system schemas.
CREATE OR REPLACE PROCEDURE jobqueue.lock_down_module(IN module_schema text, IN app_functions text[])
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $procedure$
DECLARE
  ns oid := to_regnamespace(module_schema);
  o record;
  g record;
BEGIN
  IF ns IS NULL OR module_schema IN ('jobqueue', 'public', 'cron') OR module_schema LIKE 'pg\_%' OR module_schema = 'information_schema' THEN
    RAISE EXCEPTION 'lock_down_module: % is not a module''s schema', module_schema USING ERRCODE = '22023';
  END IF;

  FOR o IN
    SELECT DISTINCT a.grantee FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.oid = ns AND a.grantee <> n.nspowner
  LOOP
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM %s', module_schema, jobqueue.grantee_name(o.grantee));
  END LOOP;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO jobqueue_app', module_schema);

  FOR o IN
    SELECT c.oid::regclass AS rel FROM pg_class c WHERE c.relnamespace = ns AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity
  LOOP
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', o.rel);
  END LOOP;

  FOR o IN
    SELECT DISTINCT c.oid::regclass AS rel, c.relkind, a.grantee
      FROM pg_class c, aclexplode(c.relacl) a
     WHERE c.relnamespace = ns AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND a.grantee <> c.relowner
  LOOP
    EXECUTE format('REVOKE ALL ON %s %s FROM %s',
                   CASE WHEN o.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, o.rel, jobqueue.grantee_name(o.grantee));
  END LOOP;

  FOR o IN
    SELECT p.oid, p.oid::regprocedure AS signature, p.proowner, p.prokind = 'f' AND p.proname = ANY (app_functions) AS allowed,
           CASE WHEN p.prokind = 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END AS kind
      FROM pg_proc p
     WHERE p.pronamespace = ns
  LOOP
    -- a NULL acl means PUBLIC may execute: revoking materializes the acl
    EXECUTE format('REVOKE ALL ON %s %s FROM PUBLIC', o.kind, o.signature);
    FOR g IN
      SELECT DISTINCT a.grantee FROM pg_proc p, aclexplode(p.proacl) a
       WHERE p.oid = o.oid AND a.grantee NOT IN (0, o.proowner)
    LOOP
      EXECUTE format('REVOKE ALL ON %s %s FROM %s', o.kind, o.signature, jobqueue.grantee_name(g.grantee));
    END LOOP;
    IF o.allowed THEN
      EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO jobqueue_app', o.signature);
    END IF;
  END LOOP;
END
$procedure$;
