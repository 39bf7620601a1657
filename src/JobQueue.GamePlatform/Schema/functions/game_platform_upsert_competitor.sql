-- Registers a competitor by its Game Platform user id, or moves it to another coach or renames it;
-- idempotent (nothing is written when nothing changes; a NULL display_name keeps the current name).
-- Returns the competitor's id. Raises 22023 for a coach_id or game_platform_user_id not 1..200
-- characters. Competitors are registered with SQL (GamePlatform/CONTRACT.md); the handlers do not
-- call it (GamePlatformStore.UpsertCompetitorAsync serves the tests).
CREATE OR REPLACE FUNCTION game_platform.game_platform_upsert_competitor(coach_id text, game_platform_user_id text, display_name text DEFAULT NULL::text)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'game_platform', 'pg_temp'
AS $function$
#variable_conflict use_column
DECLARE
  competitor_id bigint;
BEGIN
  IF game_platform_upsert_competitor.coach_id IS NULL OR length(game_platform_upsert_competitor.coach_id) NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION 'coach_id must be 1 to 200 characters' USING ERRCODE = '22023';
  END IF;
  IF game_platform_upsert_competitor.game_platform_user_id IS NULL
     OR length(game_platform_upsert_competitor.game_platform_user_id) NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION 'game_platform_user_id must be 1 to 200 characters' USING ERRCODE = '22023';
  END IF;
  INSERT INTO game_platform_competitors AS c (coach_id, game_platform_user_id, display_name)
  VALUES (game_platform_upsert_competitor.coach_id, game_platform_upsert_competitor.game_platform_user_id,
          game_platform_upsert_competitor.display_name)
  ON CONFLICT (game_platform_user_id) DO UPDATE
     SET coach_id = EXCLUDED.coach_id,
         display_name = COALESCE(EXCLUDED.display_name, c.display_name),
         updated_at = now()
   WHERE c.coach_id IS DISTINCT FROM EXCLUDED.coach_id
      OR (EXCLUDED.display_name IS NOT NULL AND c.display_name IS DISTINCT FROM EXCLUDED.display_name)
  RETURNING c.id INTO competitor_id;
  IF competitor_id IS NULL THEN
    SELECT c.id INTO competitor_id FROM game_platform_competitors c
     WHERE c.game_platform_user_id = game_platform_upsert_competitor.game_platform_user_id;
  END IF;
  RETURN competitor_id;
END
$function$;
