-- The sync's dry run (GamePlatformStore.PreviewActivityAsync): how many of the fetched activities
-- (the shape game_platform_record_activity takes) would be written, being new or changed.
CREATE OR REPLACE FUNCTION game_platform.game_platform_preview_activity(competitor_id bigint, activities jsonb)
 RETURNS integer
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'game_platform', 'pg_temp'
AS $function$
  SELECT count(*)::integer
    FROM jsonb_to_recordset(COALESCE($2, '[]'::jsonb))
         AS x(id text, "occurredAtUnix" bigint, kind text, points integer, result text)
    LEFT JOIN game_platform_activity a ON a.competitor_id = $1 AND a.activity_id = x.id
   WHERE a.activity_id IS NULL
      OR (a.occurred_at, a.kind, a.points, a.result) IS DISTINCT FROM
         (to_timestamp(x."occurredAtUnix"), COALESCE(x.kind, 'activity'), COALESCE(x.points, 0), x.result)
$function$;
