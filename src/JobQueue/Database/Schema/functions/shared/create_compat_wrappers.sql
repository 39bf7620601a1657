-- The compatibility wrappers in `public`: for each function of `jobqueue` named in `names`, a
-- wrapper of the same name and arguments (SECURITY INVOKER, marked by its comment) for callers that
-- use the unqualified RPC names, e.g. `select job_queue_enqueue('game_platform_sync', '{}')` in a
-- pg_cron command. Made only when asked (Database:PublicWrappers, or
-- `migrate.sh --public-wrappers`): the migrator calls this with the list in
-- ../../public_wrappers.sql, or with an empty list to remove the wrappers it made.
--
-- The wrappers become exactly `names`: every earlier wrapper of JobQueue's (marked by its comment)
-- is dropped first, so that a changed signature leaves no stale overload behind. A function of the
-- same name in `public` that is not JobQueue's wrapper (a team's own job_queue_enqueue, say) is
-- never replaced or dropped: the call fails naming it (SQLSTATE JQM01), before anything changes.
CREATE OR REPLACE PROCEDURE jobqueue.create_compat_wrappers(IN names text[])
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $procedure$
DECLARE
  f record;
  args text;
  call text;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure AS signature, p.proname
      FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace AND p.proname = ANY (names)
       AND obj_description(p.oid, 'pg_proc') IS DISTINCT FROM 'jobqueue: compatibility wrapper of jobqueue.' || p.proname
     ORDER BY 2, 1::text
     LIMIT 1
  LOOP
    -- the signature reads public.name(args): this procedure's search_path does not hold public
    RAISE EXCEPTION '% is not JobQueue''s: the compatibility wrapper of that name was not made', f.signature
      USING ERRCODE = 'JQM01',
            HINT = 'JobQueue never replaces a function it did not make. Rename or drop that function first, '
                   || 'or run without the public wrappers (Database:PublicWrappers=false) and call jobqueue.' || f.proname || ' instead.';
  END LOOP;

  FOR f IN
    SELECT p.oid::regprocedure AS signature
      FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace
       AND obj_description(p.oid, 'pg_proc') = 'jobqueue: compatibility wrapper of jobqueue.' || p.proname
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
$procedure$;
