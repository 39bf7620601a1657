-- A sweep gives a claimed row back without writing (its totals could not be fetched), so that the
-- next sweep retries it (GamePlatformStore.ReleaseTotalsClaimAsync). Only claimed_by's own claim is
-- released: true when it was, NULL otherwise.
CREATE OR REPLACE FUNCTION game_platform.game_platform_release_totals_claim(competitor_id bigint, claimed_by text)
 RETURNS boolean
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'game_platform', 'pg_temp'
AS $function$
  UPDATE game_platform_competitors c
     SET totals_claimed_by = NULL, totals_claimed_until = NULL
   WHERE c.id = $1 AND c.totals_claimed_by = $2
  RETURNING true
$function$;
