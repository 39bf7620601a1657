-- The Game Platform's tables in the module's own schema. IF NOT EXISTS: a database the engine's
-- versioned script 0012_move_game_platform_out.sql moved them on (they held rows in jobqueue) keeps
-- them as they are, rows included; every other database gets them new. Row-level security with no
-- policy, as for the engine's tables: the app reaches them only through the module's functions.
CREATE TABLE IF NOT EXISTS game_platform.game_platform_competitors (
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    coach_id text NOT NULL,
    game_platform_user_id text NOT NULL,
    display_name text,
    needs_totals_refresh boolean DEFAULT false NOT NULL,
    refresh_generation bigint DEFAULT 0 NOT NULL,
    sync_watermark_unix bigint,
    last_activity_at timestamp with time zone,
    last_synced_at timestamp with time zone,
    totals_refreshed_at timestamp with time zone,
    totals_claimed_by text,
    totals_claimed_until timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT game_platform_competitors_pkey PRIMARY KEY (id),
    CONSTRAINT game_platform_competitors_game_platform_user_id_key UNIQUE (game_platform_user_id),
    CONSTRAINT game_platform_competitors_coach_id_check CHECK (((length(coach_id) >= 1) AND (length(coach_id) <= 200))),
    CONSTRAINT game_platform_competitors_game_platform_user_id_check CHECK (((length(game_platform_user_id) >= 1) AND (length(game_platform_user_id) <= 200)))
);

CREATE INDEX IF NOT EXISTS game_platform_competitors_coach_idx ON game_platform.game_platform_competitors USING btree (coach_id, id);

CREATE INDEX IF NOT EXISTS game_platform_competitors_flagged_idx ON game_platform.game_platform_competitors USING btree (id) WHERE needs_totals_refresh;

ALTER TABLE game_platform.game_platform_competitors ENABLE ROW LEVEL SECURITY;


CREATE TABLE IF NOT EXISTS game_platform.game_platform_activity (
    competitor_id bigint NOT NULL,
    activity_id text NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    kind text NOT NULL,
    points integer DEFAULT 0 NOT NULL,
    result text,
    synced_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT game_platform_activity_pkey PRIMARY KEY (competitor_id, activity_id),
    CONSTRAINT game_platform_activity_competitor_id_fkey FOREIGN KEY (competitor_id) REFERENCES game_platform.game_platform_competitors(id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS game_platform_activity_time_idx ON game_platform.game_platform_activity USING btree (competitor_id, occurred_at DESC);

ALTER TABLE game_platform.game_platform_activity ENABLE ROW LEVEL SECURITY;


CREATE TABLE IF NOT EXISTS game_platform.game_platform_totals (
    competitor_id bigint NOT NULL,
    matches integer NOT NULL,
    wins integer NOT NULL,
    losses integer NOT NULL,
    points bigint NOT NULL,
    as_of timestamp with time zone,
    refreshed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT game_platform_totals_pkey PRIMARY KEY (competitor_id),
    CONSTRAINT game_platform_totals_competitor_id_fkey FOREIGN KEY (competitor_id) REFERENCES game_platform.game_platform_competitors(id) ON DELETE CASCADE
);

ALTER TABLE game_platform.game_platform_totals ENABLE ROW LEVEL SECURITY;
