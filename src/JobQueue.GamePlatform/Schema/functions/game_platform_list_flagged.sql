-- The totals sweep's dry run (GamePlatformStore.ListFlaggedAsync): flagged competitors, optionally
-- of one coach, read-only (nothing is claimed), keyset by id (after_id: the last id of the previous
-- batch; batch_size 1..1,000).
CREATE OR REPLACE FUNCTION game_platform.game_platform_list_flagged(only_coach_id text DEFAULT NULL::text, after_id bigint DEFAULT 0, batch_size integer DEFAULT 100)
 RETURNS TABLE(competitor_id bigint, coach_id text, game_platform_user_id text, refresh_generation bigint)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'game_platform', 'pg_temp'
AS $function$
  SELECT c.id, c.coach_id, c.game_platform_user_id, c.refresh_generation
    FROM game_platform_competitors c
   WHERE c.needs_totals_refresh
     AND ($1 IS NULL OR c.coach_id = $1)
     AND c.id > COALESCE($2, 0)
   ORDER BY c.id
   LIMIT LEAST(GREATEST(COALESCE($3, 100), 1), 1000)
$function$;
