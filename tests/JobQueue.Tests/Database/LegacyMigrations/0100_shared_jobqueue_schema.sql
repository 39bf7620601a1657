-- JobQueue's own schema, and the procedures every later migration ends with.
--
-- Why: on Supabase (and any PostgREST setup) the schema `public` is served over HTTP with the public
-- anon key, and Supabase's default privileges give the roles anon, authenticated and service_role
-- EXECUTE on every function and ALL on every table, view and sequence that the owner creates in
-- `public`. Revoking from PUBLIC does not undo such per-role grants. So every JobQueue object moves to
-- the schema `jobqueue` (not exposed by PostgREST, no USAGE for anyone but the app role), and each
-- migration ends with jobqueue.lock_down(), which revokes every privilege that anyone but the owner
-- holds on JobQueue's objects (the app role keeps EXECUTE on its functions, granted by
-- jobqueue.grant_app_execute). The journal tables of the migrations live in `jobqueue` too (the
-- migrator moves them there before DbUp reads them).
--
-- The RPC names existing callers use (`select job_queue_enqueue('game_platform_sync', '{}')` in a
-- cron.job command, `job_queue_claim(5)`, `get_cron_jobs()`, ...) keep working through thin wrappers
-- in `public` (SECURITY INVOKER, created by jobqueue.create_compat_wrappers, marked by their comment):
-- a caller needs EXECUTE on the wrapper and on the jobqueue function behind it, i.e. membership in
-- jobqueue_app. anon and authenticated get neither.
--
-- This file is `_shared_`: the migrator applies it to the app database and to pg_cron's database.

CREATE SCHEMA IF NOT EXISTS jobqueue;
REVOKE ALL ON SCHEMA jobqueue FROM PUBLIC;

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'jobqueue_app') THEN
    -- roles are cluster-wide: another database's migration may create it at the same moment
    BEGIN
      CREATE ROLE jobqueue_app NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
END
$$;

-- The functions of `jobqueue` whose name matches the LIKE pattern, and their wrappers in `public`:
-- EXECUTE for jobqueue_app (what the app and legacy callers in that role may call).
CREATE OR REPLACE PROCEDURE jobqueue.grant_app_execute(name_pattern text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  f record;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure AS signature
      FROM pg_proc p
     WHERE p.prokind = 'f' AND p.proname LIKE name_pattern
       AND (p.pronamespace = 'jobqueue'::regnamespace
            OR (p.pronamespace = 'public'::regnamespace
                AND obj_description(p.oid, 'pg_proc') LIKE 'jobqueue: compatibility wrapper%'))
  LOOP
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO jobqueue_app', f.signature);
  END LOOP;
END
$$;

-- For each function of `jobqueue` named in `names`, a wrapper of the same name and arguments in
-- `public` (the RPC names existing callers use). Wrappers of those names made earlier are dropped
-- first, so that a changed signature leaves no stale overload behind.
CREATE OR REPLACE PROCEDURE jobqueue.create_compat_wrappers(names text[])
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  f record;
  args text;
  call text;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure AS signature
      FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace AND p.proname = ANY (names)
       AND obj_description(p.oid, 'pg_proc') LIKE 'jobqueue: compatibility wrapper%'
  LOOP
    EXECUTE format('DROP FUNCTION %s', f.signature);
  END LOOP;

  FOR f IN
    SELECT p.oid, p.proname, p.pronargs, p.proretset,
           pg_get_function_arguments(p.oid) AS arguments,
           pg_get_function_identity_arguments(p.oid) AS identity_arguments,
           pg_get_function_result(p.oid) AS result
      FROM pg_proc p
     WHERE p.pronamespace = 'jobqueue'::regnamespace AND p.prokind = 'f' AND p.proname = ANY (names)
  LOOP
    SELECT string_agg('$' || i, ', ' ORDER BY i) INTO args FROM generate_series(1, f.pronargs) AS i;
    call := format('jobqueue.%I(%s)', f.proname, COALESCE(args, ''));
    EXECUTE format(
      'CREATE FUNCTION public.%I(%s) RETURNS %s LANGUAGE sql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS %L',
      f.proname, f.arguments, f.result,
      CASE WHEN f.proretset OR f.result LIKE 'TABLE(%' THEN 'SELECT * FROM ' || call ELSE 'SELECT ' || call END);
    EXECUTE format('COMMENT ON FUNCTION public.%I(%s) IS %L', f.proname, f.identity_arguments,
                   'jobqueue: compatibility wrapper of jobqueue.' || f.proname);
  END LOOP;
END
$$;

-- A role oid of an acl as SQL: 0 is PUBLIC.
CREATE OR REPLACE FUNCTION jobqueue.grantee_name(grantee oid)
RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE grantee::regrole::text END $$;

-- Every privilege on JobQueue's objects held by anyone but their owner is revoked, whatever granted
-- it (default privileges for anon/authenticated/service_role, PUBLIC's implicit EXECUTE on
-- functions): tables, views and sequences of `jobqueue` end up owner-only (tables with row-level
-- security on); functions of `jobqueue`
-- and the wrappers in `public` keep EXECUTE for jobqueue_app only; the schema gives USAGE to
-- jobqueue_app only. Called at the end of every migration.
CREATE OR REPLACE PROCEDURE jobqueue.lock_down()
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
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
$$;

CALL jobqueue.lock_down();
