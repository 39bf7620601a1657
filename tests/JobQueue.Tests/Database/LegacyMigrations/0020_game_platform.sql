-- Game Platform: the competitors the sync covers, their activity (the stats the sync upserts),
-- their totals (written by the totals sweep from the API, the source of truth), and the functions
-- the two handlers call. Same conventions as 0002: SECURITY DEFINER, fixed search_path, EXECUTE
-- for jobqueue_app only (granted at the end of this file); RLS on, no table privileges for anyone.
-- Contract and semantics: src/JobQueue/GamePlatform/CONTRACT.md.

CREATE TABLE IF NOT EXISTS game_platform_competitors (
  id                    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  coach_id              text        NOT NULL CHECK (length(coach_id) BETWEEN 1 AND 200),
  game_platform_user_id text        NOT NULL UNIQUE CHECK (length(game_platform_user_id) BETWEEN 1 AND 200),
  display_name          text,
  -- set by the sync when it wrote new activity; cleared by the sweep after it wrote fresh totals
  needs_totals_refresh  boolean     NOT NULL DEFAULT false,
  -- bumped each time the sync flags the row: a sweep clears the flag only if it is unchanged
  -- since it read the row, so activity arriving during a sweep is never lost
  refresh_generation    bigint      NOT NULL DEFAULT 0,
  -- newest activity time seen (unix seconds): the next sync asks for activity after it
  sync_watermark_unix   bigint,
  last_activity_at      timestamptz,
  last_synced_at        timestamptz,
  totals_refreshed_at   timestamptz,
  -- a sweep's claim on the row (two sweeps at once take disjoint rows)
  totals_claimed_by     text,
  totals_claimed_until  timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS game_platform_competitors_coach_idx ON game_platform_competitors (coach_id, id);
-- the sweep reads flagged rows only
CREATE INDEX IF NOT EXISTS game_platform_competitors_flagged_idx ON game_platform_competitors (id)
  WHERE needs_totals_refresh;

CREATE TABLE IF NOT EXISTS game_platform_activity (
  competitor_id   bigint      NOT NULL REFERENCES game_platform_competitors (id) ON DELETE CASCADE,
  activity_id     text        NOT NULL,
  occurred_at     timestamptz NOT NULL,
  kind            text        NOT NULL,
  points          integer     NOT NULL DEFAULT 0,
  result          text,
  synced_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (competitor_id, activity_id)
);

CREATE INDEX IF NOT EXISTS game_platform_activity_time_idx ON game_platform_activity (competitor_id, occurred_at DESC);

CREATE TABLE IF NOT EXISTS game_platform_totals (
  competitor_id  bigint      PRIMARY KEY REFERENCES game_platform_competitors (id) ON DELETE CASCADE,
  matches        integer     NOT NULL,
  wins           integer     NOT NULL,
  losses         integer     NOT NULL,
  points         bigint      NOT NULL,
  as_of          timestamptz,
  refreshed_at   timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE game_platform_competitors ENABLE ROW LEVEL SECURITY;
ALTER TABLE game_platform_activity ENABLE ROW LEVEL SECURITY;
ALTER TABLE game_platform_totals ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON game_platform_competitors, game_platform_activity, game_platform_totals FROM PUBLIC;

-- register (or rename / move) a competitor; idempotent --------------------------------------------
CREATE OR REPLACE FUNCTION game_platform_upsert_competitor(
  coach_id              text,
  game_platform_user_id text,
  display_name          text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
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
$$;

-- the sync's scope: every competitor, or one coach's --------------------------------------------
CREATE OR REPLACE FUNCTION game_platform_sync_scope(only_coach_id text DEFAULT NULL)
RETURNS TABLE (competitor_id bigint, coach_id text, game_platform_user_id text, sync_watermark_unix bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT c.id, c.coach_id, c.game_platform_user_id, c.sync_watermark_unix
    FROM game_platform_competitors c
   WHERE $1 IS NULL OR c.coach_id = $1
   ORDER BY c.id
$$;

-- the sync's write for one competitor, atomically: upsert the fetched activity, flag the competitor
-- when something new or changed was written, then advance the watermark (never backwards).
-- activities: [{"id","occurredAtUnix","kind","points","result"}]
CREATE OR REPLACE FUNCTION game_platform_record_activity(
  competitor_id        bigint,
  activities           jsonb,
  fetched_through_unix bigint)
RETURNS TABLE (written integer, flagged boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
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
$$;

-- the sync's dry run: how many of the fetched activities would be written (new or changed)
CREATE OR REPLACE FUNCTION game_platform_preview_activity(competitor_id bigint, activities jsonb)
RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT count(*)::integer
    FROM jsonb_to_recordset(COALESCE($2, '[]'::jsonb))
         AS x(id text, "occurredAtUnix" bigint, kind text, points integer, result text)
    LEFT JOIN game_platform_activity a ON a.competitor_id = $1 AND a.activity_id = x.id
   WHERE a.activity_id IS NULL
      OR (a.occurred_at, a.kind, a.points, a.result) IS DISTINCT FROM
         (to_timestamp(x."occurredAtUnix"), COALESCE(x.kind, 'activity'), COALESCE(x.points, 0), x.result)
$$;

-- flagged competitors, read-only, keyset by id (the sweep's dry run) -------------------------------
CREATE OR REPLACE FUNCTION game_platform_list_flagged(
  only_coach_id text DEFAULT NULL,
  after_id   bigint  DEFAULT 0,
  batch_size integer DEFAULT 100)
RETURNS TABLE (competitor_id bigint, coach_id text, game_platform_user_id text, refresh_generation bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT c.id, c.coach_id, c.game_platform_user_id, c.refresh_generation
    FROM game_platform_competitors c
   WHERE c.needs_totals_refresh
     AND ($1 IS NULL OR c.coach_id = $1)
     AND c.id > COALESCE($2, 0)
   ORDER BY c.id
   LIMIT LEAST(GREATEST(COALESCE($3, 100), 1), 1000)
$$;

-- the sweep takes a batch of flagged competitors for itself: rows another sweep holds are skipped
CREATE OR REPLACE FUNCTION game_platform_claim_totals_batch(
  only_coach_id text,
  batch_size integer,
  lease      interval,
  claimed_by text)
RETURNS TABLE (competitor_id bigint, coach_id text, game_platform_user_id text, refresh_generation bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
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
$$;

-- fresh totals written and the flag cleared in one transaction; the flag stays set when the sync
-- flagged the row again after the sweep read it (refresh_generation moved on)
CREATE OR REPLACE FUNCTION game_platform_apply_totals(
  competitor_id      bigint,
  refresh_generation bigint,
  claimed_by         text,
  matches            integer,
  wins               integer,
  losses             integer,
  points             bigint,
  as_of_unix         bigint)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
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
$$;

-- a sweep gives a row back without writing (its totals could not be fetched): the next sweep retries it
CREATE OR REPLACE FUNCTION game_platform_release_totals_claim(competitor_id bigint, claimed_by text)
RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  UPDATE game_platform_competitors c
     SET totals_claimed_by = NULL, totals_claimed_until = NULL
   WHERE c.id = $1 AND c.totals_claimed_by = $2
  RETURNING true
$$;

-- privileges: EXECUTE for the app role only (procedure from 0002) -------------------------------
CALL jobqueue_grant_app_execute('game\_platform\_%');
