-- The totals sweep takes a batch (1..1,000, default 100) of flagged competitors, optionally of one
-- coach, for itself (GamePlatformStore.ClaimTotalsBatchAsync): each row is claimed for claimed_by
-- until now() + lease (default 5 minutes). Rows another sweep holds (an unexpired claim, or a row
-- lock: FOR UPDATE SKIP LOCKED) are skipped, so two sweeps at once take disjoint rows. Returns the
-- rows with the refresh_generation read, for game_platform_apply_totals. Raises 22023 without
-- claimed_by.
CREATE OR REPLACE FUNCTION game_platform.game_platform_claim_totals_batch(only_coach_id text, batch_size integer, lease interval, claimed_by text)
 RETURNS TABLE(competitor_id bigint, coach_id text, game_platform_user_id text, refresh_generation bigint)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'game_platform', 'pg_temp'
AS $function$
#variable_conflict use_column
BEGIN
  IF claimed_by IS NULL OR length(claimed_by) = 0 THEN
    RAISE EXCEPTION 'claimed_by is required' USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
  WITH picked AS (
    SELECT c.id FROM game_platform_competitors c
     WHERE c.needs_totals_refresh
       AND (only_coach_id IS NULL OR c.coach_id = only_coach_id)
       AND (c.totals_claimed_until IS NULL OR c.totals_claimed_until < now())
     ORDER BY c.id
     LIMIT LEAST(GREATEST(COALESCE(batch_size, 100), 1), 1000)
     FOR UPDATE SKIP LOCKED)
  UPDATE game_platform_competitors c
     SET totals_claimed_by = game_platform_claim_totals_batch.claimed_by,
         totals_claimed_until = now() + COALESCE(lease, interval '5 minutes')
    FROM picked
   WHERE c.id = picked.id
  RETURNING c.id, c.coach_id, c.game_platform_user_id, c.refresh_generation;
END
$function$;
