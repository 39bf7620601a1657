-- EXECUTE for jobqueue_app on exactly the functions named in `names` (in `jobqueue`, and their
-- compatibility wrappers in `public` where those exist), revoked from it on every other function
-- and procedure of JobQueue's. Called by ../../grants.sql after lock_down at the end of every
-- migration run, so that the list there is the whole truth about what the app's runtime login may
-- call.
CREATE OR REPLACE PROCEDURE jobqueue.set_app_execute(IN names text[])
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $procedure$
DECLARE
  f record;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure AS signature, p.prokind = 'f' AND p.proname = ANY (names) AS allowed,
           CASE WHEN p.prokind = 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END AS kind
      FROM pg_proc p
     WHERE p.pronamespace = 'jobqueue'::regnamespace
        OR (p.pronamespace = 'public'::regnamespace
            AND obj_description(p.oid, 'pg_proc') = 'jobqueue: compatibility wrapper of jobqueue.' || p.proname)
  LOOP
    IF f.allowed THEN
      EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO jobqueue_app', f.signature);
    ELSE
      EXECUTE format('REVOKE ALL ON %s %s FROM jobqueue_app', f.kind, f.signature);
    END IF;
  END LOOP;
END
$procedure$;
