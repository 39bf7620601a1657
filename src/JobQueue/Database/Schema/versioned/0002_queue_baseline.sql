-- Baseline, part 2 of 2: the queue's tables, indexes and starting rows in the app database.
-- Functions, triggers and grants: ../functions and ../grants.sql. Row-level security is on for
-- every table with no policy: the owner (who runs the SECURITY DEFINER functions) is not subject
-- to it, and should a privilege ever leak, it shows no rows.

CREATE TABLE jobqueue.job_queue_audit (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    target text,
    outcome text NOT NULL,
    status integer NOT NULL,
    detail text,
    request_id text,
    CONSTRAINT job_queue_audit_action_check CHECK (((length(action) >= 1) AND (length(action) <= 50))),
    CONSTRAINT job_queue_audit_actor_check CHECK (((length(actor) >= 1) AND (length(actor) <= 200))),
    CONSTRAINT job_queue_audit_detail_check CHECK ((length(detail) <= 1000)),
    CONSTRAINT job_queue_audit_outcome_check CHECK ((outcome = ANY (ARRAY['ok'::text, 'refused'::text, 'error'::text]))),
    CONSTRAINT job_queue_audit_request_id_check CHECK ((length(request_id) <= 200)),
    CONSTRAINT job_queue_audit_status_check CHECK (((status >= 100) AND (status <= 599))),
    CONSTRAINT job_queue_audit_target_check CHECK ((length(target) <= 300))
);

ALTER TABLE jobqueue.job_queue_audit ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME jobqueue.job_queue_audit_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

ALTER TABLE ONLY jobqueue.job_queue_audit
    ADD CONSTRAINT job_queue_audit_pkey PRIMARY KEY (id);

CREATE INDEX job_queue_audit_at_idx ON jobqueue.job_queue_audit USING btree (at);

ALTER TABLE jobqueue.job_queue_audit ENABLE ROW LEVEL SECURITY;


CREATE TABLE jobqueue.job_queue (
    id uuid DEFAULT (encode((int8send((((((date_part('epoch'::text, clock_timestamp()) * (1000)::double precision))::bigint << 16) | (28672)::bigint) | ((random() * (4095)::double precision))::bigint)) || int8send((((((random() * ('4294967295'::bigint)::double precision))::bigint << 30) | ((random() * (1073741823)::double precision))::bigint) | ('-9223372036854775807'::bigint - 1)))), 'hex'::text))::uuid NOT NULL,
    task_type text NOT NULL,
    payload jsonb DEFAULT '{}'::jsonb NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    run_at timestamp with time zone DEFAULT now() NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    max_attempts integer DEFAULT 3 NOT NULL,
    last_error text,
    output jsonb,
    dedupe_key text,
    locked_by text,
    locked_until timestamp with time zone,
    triggered_by text,
    request_id text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    started_at timestamp with time zone,
    completed_at timestamp with time zone,
    priority integer DEFAULT 0 NOT NULL,
    partition_key text,
    trace_parent text,
    held boolean DEFAULT false NOT NULL,
    CONSTRAINT job_queue_attempts_check CHECK ((attempts >= 0)),
    CONSTRAINT job_queue_dedupe_key_check CHECK (((dedupe_key IS NULL) OR ((length(dedupe_key) >= 1) AND (length(dedupe_key) <= 200)))),
    CONSTRAINT job_queue_max_attempts_check CHECK (((max_attempts >= 1) AND (max_attempts <= 100))),
    CONSTRAINT job_queue_partition_key_check CHECK (((partition_key IS NULL) OR ((length(partition_key) >= 1) AND (length(partition_key) <= 200)))),
    CONSTRAINT job_queue_priority_check CHECK (((priority >= '-100'::integer) AND (priority <= 100))),
    CONSTRAINT job_queue_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'processing'::text, 'succeeded'::text, 'failed'::text, 'cancelled'::text]))),
    CONSTRAINT job_queue_task_type_check CHECK (((length(task_type) >= 1) AND (length(task_type) <= 100)))
)
WITH (autovacuum_vacuum_scale_factor='0.02', autovacuum_vacuum_insert_scale_factor='0.02', autovacuum_analyze_scale_factor='0.02');

ALTER TABLE ONLY jobqueue.job_queue
    ADD CONSTRAINT job_queue_pkey PRIMARY KEY (id);

ALTER TABLE jobqueue.job_queue
    ADD CONSTRAINT job_queue_trace_parent_length CHECK (((trace_parent IS NULL) OR (length(trace_parent) <= 128))) NOT VALID;

CREATE UNIQUE INDEX job_queue_dedupe_uidx ON jobqueue.job_queue USING btree (task_type, dedupe_key) WHERE ((dedupe_key IS NOT NULL) AND (status = ANY (ARRAY['pending'::text, 'processing'::text])));

CREATE INDEX job_queue_due_idx ON jobqueue.job_queue USING btree (priority, run_at, id) WHERE ((status = 'pending'::text) AND (NOT held));

CREATE INDEX job_queue_ended_badly_idx ON jobqueue.job_queue USING btree (status, id) WHERE (status = ANY (ARRAY['failed'::text, 'cancelled'::text]));

CREATE INDEX job_queue_finished_idx ON jobqueue.job_queue USING btree (completed_at) WHERE (status = ANY (ARRAY['succeeded'::text, 'failed'::text, 'cancelled'::text]));

CREATE INDEX job_queue_held_due_idx ON jobqueue.job_queue USING btree (task_type, priority DESC, run_at, id) WHERE ((status = 'pending'::text) AND held);

CREATE INDEX job_queue_lease_idx ON jobqueue.job_queue USING btree (locked_until) WHERE (status = 'processing'::text);

ALTER TABLE jobqueue.job_queue ENABLE ROW LEVEL SECURITY;


CREATE TABLE jobqueue.job_queue_attempts (
    id bigint NOT NULL,
    job_id uuid NOT NULL,
    attempt integer NOT NULL,
    runner_id text,
    started_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone DEFAULT now() NOT NULL,
    outcome text NOT NULL,
    error text,
    duration_ms integer DEFAULT 0 NOT NULL
);

ALTER TABLE jobqueue.job_queue_attempts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME jobqueue.job_queue_attempts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

ALTER TABLE ONLY jobqueue.job_queue_attempts
    ADD CONSTRAINT job_queue_attempts_pkey PRIMARY KEY (id);

ALTER TABLE jobqueue.job_queue_attempts
    ADD CONSTRAINT job_queue_attempts_outcome_check CHECK ((outcome = ANY (ARRAY['succeeded'::text, 'retry'::text, 'failed'::text, 'lease_expired'::text, 'cancelled'::text, 'snoozed'::text]))) NOT VALID;

CREATE INDEX job_queue_attempts_job_idx ON jobqueue.job_queue_attempts USING btree (job_id, id);

ALTER TABLE jobqueue.job_queue_attempts ENABLE ROW LEVEL SECURITY;


CREATE TABLE jobqueue.job_queue_schedule_ticks (
    name text NOT NULL,
    last_tick timestamp with time zone NOT NULL,
    fired_by text,
    fired_at timestamp with time zone DEFAULT now() NOT NULL,
    missed_ticks bigint DEFAULT 0 NOT NULL,
    last_missed_tick timestamp with time zone,
    last_missed_action text,
    last_missed_at timestamp with time zone,
    CONSTRAINT job_queue_schedule_ticks_last_missed_action_check CHECK ((last_missed_action = ANY (ARRAY['fired'::text, 'skipped'::text]))),
    CONSTRAINT job_queue_schedule_ticks_name_check CHECK (((length(name) >= 1) AND (length(name) <= 100)))
);

ALTER TABLE ONLY jobqueue.job_queue_schedule_ticks
    ADD CONSTRAINT job_queue_schedule_ticks_pkey PRIMARY KEY (name);

ALTER TABLE jobqueue.job_queue_schedule_ticks ENABLE ROW LEVEL SECURITY;


CREATE TABLE jobqueue.job_queue_settings (
    id boolean DEFAULT true NOT NULL,
    processing_enabled boolean DEFAULT true NOT NULL,
    paused_reason text,
    updated_by text,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT job_queue_settings_id_check CHECK (id)
);

ALTER TABLE ONLY jobqueue.job_queue_settings
    ADD CONSTRAINT job_queue_settings_pkey PRIMARY KEY (id);

ALTER TABLE jobqueue.job_queue_settings ENABLE ROW LEVEL SECURITY;


CREATE TABLE jobqueue.job_queue_task_limits (
    task_type text NOT NULL,
    max_concurrency integer,
    partition_by text,
    max_concurrency_per_partition integer,
    rate_limit integer,
    rate_interval_ms bigint,
    paused_until timestamp with time zone,
    paused_reason text,
    source text DEFAULT 'api'::text NOT NULL,
    updated_by text,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT job_queue_task_limits_check CHECK (((max_concurrency_per_partition IS NULL) = (partition_by IS NULL))),
    CONSTRAINT job_queue_task_limits_check1 CHECK (((rate_limit IS NULL) = (rate_interval_ms IS NULL))),
    CONSTRAINT job_queue_task_limits_max_concurrency_check CHECK (((max_concurrency >= 1) AND (max_concurrency <= 100000))),
    CONSTRAINT job_queue_task_limits_max_concurrency_per_partition_check CHECK (((max_concurrency_per_partition >= 1) AND (max_concurrency_per_partition <= 100000))),
    CONSTRAINT job_queue_task_limits_partition_by_check CHECK ((partition_by ~ '^[A-Za-z0-9_]{1,64}$'::text)),
    CONSTRAINT job_queue_task_limits_paused_reason_check CHECK ((length(paused_reason) <= 500)),
    CONSTRAINT job_queue_task_limits_rate_interval_ms_check CHECK (((rate_interval_ms >= 1) AND (rate_interval_ms <= 86400000))),
    CONSTRAINT job_queue_task_limits_rate_limit_check CHECK (((rate_limit >= 1) AND (rate_limit <= 1000000))),
    CONSTRAINT job_queue_task_limits_source_check CHECK ((source = ANY (ARRAY['api'::text, 'settings'::text, 'handler'::text]))),
    CONSTRAINT job_queue_task_limits_task_type_check CHECK (((length(task_type) >= 1) AND (length(task_type) <= 100)))
);

ALTER TABLE ONLY jobqueue.job_queue_task_limits
    ADD CONSTRAINT job_queue_task_limits_pkey PRIMARY KEY (task_type);

ALTER TABLE jobqueue.job_queue_task_limits ENABLE ROW LEVEL SECURITY;


CREATE TABLE jobqueue.game_platform_competitors (
    id bigint NOT NULL,
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
    CONSTRAINT game_platform_competitors_coach_id_check CHECK (((length(coach_id) >= 1) AND (length(coach_id) <= 200))),
    CONSTRAINT game_platform_competitors_game_platform_user_id_check CHECK (((length(game_platform_user_id) >= 1) AND (length(game_platform_user_id) <= 200)))
);

ALTER TABLE jobqueue.game_platform_competitors ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME jobqueue.game_platform_competitors_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

ALTER TABLE ONLY jobqueue.game_platform_competitors
    ADD CONSTRAINT game_platform_competitors_game_platform_user_id_key UNIQUE (game_platform_user_id);

ALTER TABLE ONLY jobqueue.game_platform_competitors
    ADD CONSTRAINT game_platform_competitors_pkey PRIMARY KEY (id);

CREATE INDEX game_platform_competitors_coach_idx ON jobqueue.game_platform_competitors USING btree (coach_id, id);

CREATE INDEX game_platform_competitors_flagged_idx ON jobqueue.game_platform_competitors USING btree (id) WHERE needs_totals_refresh;

ALTER TABLE jobqueue.game_platform_competitors ENABLE ROW LEVEL SECURITY;


CREATE TABLE jobqueue.game_platform_activity (
    competitor_id bigint NOT NULL,
    activity_id text NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    kind text NOT NULL,
    points integer DEFAULT 0 NOT NULL,
    result text,
    synced_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY jobqueue.game_platform_activity
    ADD CONSTRAINT game_platform_activity_pkey PRIMARY KEY (competitor_id, activity_id);

ALTER TABLE ONLY jobqueue.game_platform_activity
    ADD CONSTRAINT game_platform_activity_competitor_id_fkey FOREIGN KEY (competitor_id) REFERENCES jobqueue.game_platform_competitors(id) ON DELETE CASCADE;

CREATE INDEX game_platform_activity_time_idx ON jobqueue.game_platform_activity USING btree (competitor_id, occurred_at DESC);

ALTER TABLE jobqueue.game_platform_activity ENABLE ROW LEVEL SECURITY;


CREATE TABLE jobqueue.game_platform_totals (
    competitor_id bigint NOT NULL,
    matches integer NOT NULL,
    wins integer NOT NULL,
    losses integer NOT NULL,
    points bigint NOT NULL,
    as_of timestamp with time zone,
    refreshed_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY jobqueue.game_platform_totals
    ADD CONSTRAINT game_platform_totals_pkey PRIMARY KEY (competitor_id);

ALTER TABLE ONLY jobqueue.game_platform_totals
    ADD CONSTRAINT game_platform_totals_competitor_id_fkey FOREIGN KEY (competitor_id) REFERENCES jobqueue.game_platform_competitors(id) ON DELETE CASCADE;

ALTER TABLE jobqueue.game_platform_totals ENABLE ROW LEVEL SECURITY;


CREATE TABLE jobqueue.job_queue_final_failures (
    id bigint NOT NULL,
    job_id uuid NOT NULL,
    task_type text NOT NULL,
    attempt integer NOT NULL,
    max_attempts integer NOT NULL,
    runner_id text,
    error text,
    duration_ms integer DEFAULT 0 NOT NULL,
    failed_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE jobqueue.job_queue_final_failures ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME jobqueue.job_queue_final_failures_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

ALTER TABLE ONLY jobqueue.job_queue_final_failures
    ADD CONSTRAINT job_queue_final_failures_pkey PRIMARY KEY (id);

ALTER TABLE jobqueue.job_queue_final_failures ENABLE ROW LEVEL SECURITY;


CREATE TABLE jobqueue.job_queue_join_keys (
    task_type text NOT NULL,
    join_key text NOT NULL,
    job_id uuid NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT job_queue_join_keys_join_key_check CHECK (((length(join_key) >= 1) AND (length(join_key) <= 200)))
);

ALTER TABLE ONLY jobqueue.job_queue_join_keys
    ADD CONSTRAINT job_queue_join_keys_pkey PRIMARY KEY (task_type, join_key);

ALTER TABLE jobqueue.job_queue_join_keys ENABLE ROW LEVEL SECURITY;


CREATE TABLE jobqueue.job_queue_leader (
    name text NOT NULL,
    leader_id text NOT NULL,
    elected_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT job_queue_leader_leader_id_check CHECK (((length(leader_id) >= 1) AND (length(leader_id) <= 200))),
    CONSTRAINT job_queue_leader_name_check CHECK (((length(name) >= 1) AND (length(name) <= 100)))
);

ALTER TABLE ONLY jobqueue.job_queue_leader
    ADD CONSTRAINT job_queue_leader_pkey PRIMARY KEY (name);

ALTER TABLE jobqueue.job_queue_leader ENABLE ROW LEVEL SECURITY;


CREATE TABLE jobqueue.job_queue_minute_counts (
    minute timestamp with time zone NOT NULL,
    shard smallint NOT NULL,
    succeeded bigint DEFAULT 0 NOT NULL,
    failed bigint DEFAULT 0 NOT NULL,
    retried bigint DEFAULT 0 NOT NULL,
    lease_expired bigint DEFAULT 0 NOT NULL,
    cancelled bigint DEFAULT 0 NOT NULL,
    CONSTRAINT job_queue_minute_counts_shard_check CHECK (((shard >= 0) AND (shard <= 7)))
)
WITH (fillfactor='50');

ALTER TABLE ONLY jobqueue.job_queue_minute_counts
    ADD CONSTRAINT job_queue_minute_counts_pkey PRIMARY KEY (minute, shard);

ALTER TABLE jobqueue.job_queue_minute_counts ENABLE ROW LEVEL SECURITY;


CREATE TABLE jobqueue.job_queue_status_counts (
    shard smallint NOT NULL,
    pending bigint DEFAULT 0 NOT NULL,
    processing bigint DEFAULT 0 NOT NULL,
    succeeded bigint DEFAULT 0 NOT NULL,
    failed bigint DEFAULT 0 NOT NULL,
    cancelled bigint DEFAULT 0 NOT NULL,
    CONSTRAINT job_queue_status_counts_shard_check CHECK (((shard >= 0) AND (shard <= 63)))
)
WITH (fillfactor='50');

ALTER TABLE ONLY jobqueue.job_queue_status_counts
    ADD CONSTRAINT job_queue_status_counts_pkey PRIMARY KEY (shard);

ALTER TABLE jobqueue.job_queue_status_counts ENABLE ROW LEVEL SECURITY;


CREATE TABLE jobqueue.job_queue_task_starts (
    task_type text NOT NULL,
    started_at timestamp with time zone NOT NULL
);

CREATE INDEX job_queue_task_starts_idx ON jobqueue.job_queue_task_starts USING btree (task_type, started_at);

ALTER TABLE jobqueue.job_queue_task_starts ENABLE ROW LEVEL SECURITY;


CREATE TABLE jobqueue.job_queue_wakeup (
    id boolean DEFAULT true NOT NULL,
    idle_until timestamp with time zone,
    CONSTRAINT job_queue_wakeup_id_check CHECK (id)
);

ALTER TABLE ONLY jobqueue.job_queue_wakeup
    ADD CONSTRAINT job_queue_wakeup_pkey PRIMARY KEY (id);

ALTER TABLE jobqueue.job_queue_wakeup ENABLE ROW LEVEL SECURITY;


-- the one-row tables start with their row; the status counters with their zero shard
INSERT INTO jobqueue.job_queue_settings (id) VALUES (true);
INSERT INTO jobqueue.job_queue_wakeup (id) VALUES (true);
INSERT INTO jobqueue.job_queue_status_counts (shard, pending, processing, succeeded, failed, cancelled) VALUES (0, 0, 0, 0, 0, 0);
