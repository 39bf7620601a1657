-- The sync's scope (GamePlatformSyncHandler, via GamePlatformStore.GetSyncScopeAsync): every
-- registered competitor, or one coach's, by id, with the watermark its next fetch starts after.
CREATE OR REPLACE FUNCTION game_platform.game_platform_sync_scope(only_coach_id text DEFAULT NULL::text)
 RETURNS TABLE(competitor_id bigint, coach_id text, game_platform_user_id text, sync_watermark_unix bigint)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'game_platform', 'pg_temp'
AS $function$
  SELECT c.id, c.coach_id, c.game_platform_user_id, c.sync_watermark_unix
    FROM game_platform_competitors c
   WHERE $1 IS NULL OR c.coach_id = $1
   ORDER BY c.id
$function$;
