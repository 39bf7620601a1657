-- The totals sweep's write for one competitor (GamePlatformTotalsSweepHandler, via
-- GamePlatformStore.ApplyTotalsAsync): the fresh totals from the Game Platform API upserted and the
-- refresh flag cleared in one transaction, under the competitor's row lock. The flag stays set when
-- the sync flagged the row again after the sweep read it (refresh_generation moved on), so activity
-- that arrives during a sweep is never lost. The sweep's claim is released if claimed_by still
-- holds it. Returns true when the flag was cleared; false also for an unknown competitor.
CREATE OR REPLACE FUNCTION game_platform.game_platform_apply_totals(competitor_id bigint, refresh_generation bigint, claimed_by text, matches integer, wins integer, losses integer, points bigint, as_of_unix bigint)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'game_platform', 'pg_temp'
AS $function$
#variable_conflict use_column
DECLARE
  cleared boolean;
BEGIN
  PERFORM 1 FROM game_platform_competitors c WHERE c.id = game_platform_apply_totals.competitor_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN false;
  END IF;

  INSERT INTO game_platform_totals AS t (competitor_id, matches, wins, losses, points, as_of, refreshed_at)
  VALUES (game_platform_apply_totals.competitor_id, game_platform_apply_totals.matches, game_platform_apply_totals.wins,
          game_platform_apply_totals.losses, game_platform_apply_totals.points,
          CASE WHEN as_of_unix IS NULL THEN NULL ELSE to_timestamp(as_of_unix) END, now())
  ON CONFLICT (competitor_id) DO UPDATE
     SET matches = EXCLUDED.matches, wins = EXCLUDED.wins, losses = EXCLUDED.losses,
         points = EXCLUDED.points, as_of = EXCLUDED.as_of, refreshed_at = now();

  UPDATE game_platform_competitors c
     SET needs_totals_refresh = c.needs_totals_refresh AND c.refresh_generation <> game_platform_apply_totals.refresh_generation,
         totals_refreshed_at = now(),
         totals_claimed_by = CASE WHEN c.totals_claimed_by = game_platform_apply_totals.claimed_by THEN NULL ELSE c.totals_claimed_by END,
         totals_claimed_until = CASE WHEN c.totals_claimed_by = game_platform_apply_totals.claimed_by THEN NULL ELSE c.totals_claimed_until END,
         updated_at = now()
   WHERE c.id = game_platform_apply_totals.competitor_id
  RETURNING NOT c.needs_totals_refresh INTO cleared;
  RETURN cleared;
END
$function$;
