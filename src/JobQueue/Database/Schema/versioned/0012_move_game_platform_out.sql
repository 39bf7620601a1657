-- The Game Platform's tables and functions leave the engine's schema: they belong to the module
-- JobQueue.GamePlatform now, whose own migration set (AddGamePlatform(); src/JobQueue.GamePlatform/Schema)
-- keeps them in the schema game_platform. The engine's functions of the module go (the module's set
-- creates them anew in game_platform). The tables go only where nothing is lost: where any of them
-- holds a row, all three move to the schema game_platform with their rows, indexes, constraints and
-- identity sequence (ALTER TABLE ... SET SCHEMA), and the module's set finds them there; where all
-- three are empty (a fresh install: the baseline made them), they are dropped, so that the engine
-- alone ends with no Game Platform object, and the module's set creates them when it is registered.
-- Without the module, moved tables stay in game_platform untouched (no function reaches them).
DROP FUNCTION IF EXISTS jobqueue.game_platform_apply_totals(bigint, bigint, text, integer, integer, integer, bigint, bigint);
DROP FUNCTION IF EXISTS jobqueue.game_platform_claim_totals_batch(text, integer, interval, text);
DROP FUNCTION IF EXISTS jobqueue.game_platform_list_flagged(text, bigint, integer);
DROP FUNCTION IF EXISTS jobqueue.game_platform_preview_activity(bigint, jsonb);
DROP FUNCTION IF EXISTS jobqueue.game_platform_record_activity(bigint, jsonb, bigint);
DROP FUNCTION IF EXISTS jobqueue.game_platform_release_totals_claim(bigint, text);
DROP FUNCTION IF EXISTS jobqueue.game_platform_sync_scope(text);
DROP FUNCTION IF EXISTS jobqueue.game_platform_upsert_competitor(text, text, text);

DO $$
DECLARE
  tables text[] := ARRAY['game_platform_totals', 'game_platform_activity', 'game_platform_competitors'];
  present text[];
  t text;
  has_rows boolean := false;
BEGIN
  SELECT array_agg(n ORDER BY ord) INTO present
    FROM unnest(tables) WITH ORDINALITY AS x(n, ord)
   WHERE to_regclass('jobqueue.' || n) IS NOT NULL;
  IF present IS NULL THEN
    RETURN;
  END IF;

  -- no write may slip in between the check and the drop
  EXECUTE 'LOCK TABLE ' || (SELECT string_agg('jobqueue.' || n, ', ') FROM unnest(present) n) || ' IN ACCESS EXCLUSIVE MODE';
  FOREACH t IN ARRAY present LOOP
    EXECUTE format('SELECT EXISTS (SELECT FROM jobqueue.%I)', t) INTO has_rows;
    EXIT WHEN has_rows;
  END LOOP;

  IF has_rows THEN
    -- a game_platform schema JobQueue did not make is a team's own: refused, nothing moved
    IF EXISTS (SELECT FROM pg_namespace n WHERE n.nspname = 'game_platform'
                AND obj_description(n.oid, 'pg_namespace') IS DISTINCT FROM 'JobQueue module schema: made and managed by the JobQueue migrations') THEN
      RAISE EXCEPTION 'schema game_platform exists and was not made by JobQueue: rename it before upgrading' USING ERRCODE = 'JQM02';
    END IF;
    CREATE SCHEMA IF NOT EXISTS game_platform;
    COMMENT ON SCHEMA game_platform IS 'JobQueue module schema: made and managed by the JobQueue migrations';
    REVOKE ALL ON SCHEMA game_platform FROM PUBLIC;
    FOREACH t IN ARRAY present LOOP
      EXECUTE format('ALTER TABLE jobqueue.%I SET SCHEMA game_platform', t);
    END LOOP;
  ELSE
    -- children first (totals, activity), then the competitors they reference
    FOREACH t IN ARRAY present LOOP
      EXECUTE format('DROP TABLE jobqueue.%I', t);
    END LOOP;
  END IF;
END
$$;
