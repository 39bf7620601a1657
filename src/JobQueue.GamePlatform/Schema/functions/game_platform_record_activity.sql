-- The sync's write for one competitor (GamePlatformSyncHandler, via
-- GamePlatformStore.RecordActivityAsync), atomically: upserts the fetched activity, flags the
-- competitor for a totals refresh (and bumps its refresh_generation) when something new or changed
-- was written, then advances the watermark to fetched_through_unix (never backwards). activities:
-- [{"id","occurredAtUnix","kind","points","result"}]. The competitor's row is locked first, which
-- serializes the write with a sweep applying totals to it. Returns (written, flagged). Raises P0002
-- for an unknown competitor, 22023 when activities is not a JSON array.
CREATE OR REPLACE FUNCTION game_platform.game_platform_record_activity(competitor_id bigint, activities jsonb, fetched_through_unix bigint)
 RETURNS TABLE(written integer, flagged boolean)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'game_platform', 'pg_temp'
AS $function$
#variable_conflict use_column
DECLARE
  n integer := 0;
  newest timestamptz;
BEGIN
  -- lock the competitor first: serializes with a sweep applying totals to the same row
  PERFORM 1 FROM game_platform_competitors c WHERE c.id = game_platform_record_activity.competitor_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'competitor % does not exist', game_platform_record_activity.competitor_id USING ERRCODE = 'P0002';
  END IF;
  IF activities IS NOT NULL AND jsonb_typeof(activities) <> 'array' THEN
    RAISE EXCEPTION 'activities must be a JSON array' USING ERRCODE = '22023';
  END IF;

  INSERT INTO game_platform_activity AS a (competitor_id, activity_id, occurred_at, kind, points, result)
  SELECT game_platform_record_activity.competitor_id, x.id, to_timestamp(x."occurredAtUnix"),
         COALESCE(x.kind, 'activity'), COALESCE(x.points, 0), x.result
    FROM jsonb_to_recordset(COALESCE(activities, '[]'::jsonb))
         AS x(id text, "occurredAtUnix" bigint, kind text, points integer, result text)
  ON CONFLICT (competitor_id, activity_id) DO UPDATE
     SET occurred_at = EXCLUDED.occurred_at, kind = EXCLUDED.kind, points = EXCLUDED.points,
         result = EXCLUDED.result, synced_at = now()
   WHERE (a.occurred_at, a.kind, a.points, a.result) IS DISTINCT FROM
         (EXCLUDED.occurred_at, EXCLUDED.kind, EXCLUDED.points, EXCLUDED.result);
  GET DIAGNOSTICS n = ROW_COUNT;

  SELECT to_timestamp(max((x->>'occurredAtUnix')::bigint)) INTO newest
    FROM jsonb_array_elements(COALESCE(activities, '[]'::jsonb)) x;

  UPDATE game_platform_competitors c
     SET needs_totals_refresh = c.needs_totals_refresh OR n > 0,
         refresh_generation = c.refresh_generation + CASE WHEN n > 0 THEN 1 ELSE 0 END,
         sync_watermark_unix = GREATEST(c.sync_watermark_unix, fetched_through_unix),
         last_activity_at = GREATEST(c.last_activity_at, newest),
         last_synced_at = now(),
         updated_at = now()
   WHERE c.id = game_platform_record_activity.competitor_id;

  RETURN QUERY SELECT n, n > 0;
END
$function$;
