--
-- PostgreSQL database dump
--


SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: game_platform; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA game_platform;


--
-- Name: SCHEMA game_platform; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA game_platform IS 'JobQueue module schema: made and managed by the JobQueue migrations';


--
-- Name: jobqueue; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA jobqueue;


--
-- Name: cron_job_info; Type: TYPE; Schema: jobqueue; Owner: -
--

CREATE TYPE jobqueue.cron_job_info AS (
	jobid bigint,
	jobname text,
	schedule text,
	active boolean,
	task_type text,
	payload jsonb,
	max_attempts integer,
	dedupe_key text,
	database text,
	priority integer
);


--
-- Name: game_platform_apply_totals(bigint, bigint, text, integer, integer, integer, bigint, bigint); Type: FUNCTION; Schema: game_platform; Owner: -
--

CREATE FUNCTION game_platform.game_platform_apply_totals(competitor_id bigint, refresh_generation bigint, claimed_by text, matches integer, wins integer, losses integer, points bigint, as_of_unix bigint) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'game_platform', 'pg_temp'
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


--
-- Name: game_platform_claim_totals_batch(text, integer, interval, text); Type: FUNCTION; Schema: game_platform; Owner: -
--

CREATE FUNCTION game_platform.game_platform_claim_totals_batch(only_coach_id text, batch_size integer, lease interval, claimed_by text) RETURNS TABLE(competitor_id bigint, coach_id text, game_platform_user_id text, refresh_generation bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'game_platform', 'pg_temp'
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


--
-- Name: game_platform_list_flagged(text, bigint, integer); Type: FUNCTION; Schema: game_platform; Owner: -
--

CREATE FUNCTION game_platform.game_platform_list_flagged(only_coach_id text DEFAULT NULL::text, after_id bigint DEFAULT 0, batch_size integer DEFAULT 100) RETURNS TABLE(competitor_id bigint, coach_id text, game_platform_user_id text, refresh_generation bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'game_platform', 'pg_temp'
    AS $_$
  SELECT c.id, c.coach_id, c.game_platform_user_id, c.refresh_generation
    FROM game_platform_competitors c
   WHERE c.needs_totals_refresh
     AND ($1 IS NULL OR c.coach_id = $1)
     AND c.id > COALESCE($2, 0)
   ORDER BY c.id
   LIMIT LEAST(GREATEST(COALESCE($3, 100), 1), 1000)
$_$;


--
-- Name: game_platform_preview_activity(bigint, jsonb); Type: FUNCTION; Schema: game_platform; Owner: -
--

CREATE FUNCTION game_platform.game_platform_preview_activity(competitor_id bigint, activities jsonb) RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'game_platform', 'pg_temp'
    AS $_$
  SELECT count(*)::integer
    FROM jsonb_to_recordset(COALESCE($2, '[]'::jsonb))
         AS x(id text, "occurredAtUnix" bigint, kind text, points integer, result text)
    LEFT JOIN game_platform_activity a ON a.competitor_id = $1 AND a.activity_id = x.id
   WHERE a.activity_id IS NULL
      OR (a.occurred_at, a.kind, a.points, a.result) IS DISTINCT FROM
         (to_timestamp(x."occurredAtUnix"), COALESCE(x.kind, 'activity'), COALESCE(x.points, 0), x.result)
$_$;


--
-- Name: game_platform_record_activity(bigint, jsonb, bigint); Type: FUNCTION; Schema: game_platform; Owner: -
--

CREATE FUNCTION game_platform.game_platform_record_activity(competitor_id bigint, activities jsonb, fetched_through_unix bigint) RETURNS TABLE(written integer, flagged boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'game_platform', 'pg_temp'
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


--
-- Name: game_platform_release_totals_claim(bigint, text); Type: FUNCTION; Schema: game_platform; Owner: -
--

CREATE FUNCTION game_platform.game_platform_release_totals_claim(competitor_id bigint, claimed_by text) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'game_platform', 'pg_temp'
    AS $_$
  UPDATE game_platform_competitors c
     SET totals_claimed_by = NULL, totals_claimed_until = NULL
   WHERE c.id = $1 AND c.totals_claimed_by = $2
  RETURNING true
$_$;


--
-- Name: game_platform_sync_scope(text); Type: FUNCTION; Schema: game_platform; Owner: -
--

CREATE FUNCTION game_platform.game_platform_sync_scope(only_coach_id text DEFAULT NULL::text) RETURNS TABLE(competitor_id bigint, coach_id text, game_platform_user_id text, sync_watermark_unix bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'game_platform', 'pg_temp'
    AS $_$
  SELECT c.id, c.coach_id, c.game_platform_user_id, c.sync_watermark_unix
    FROM game_platform_competitors c
   WHERE $1 IS NULL OR c.coach_id = $1
   ORDER BY c.id
$_$;


--
-- Name: game_platform_upsert_competitor(text, text, text); Type: FUNCTION; Schema: game_platform; Owner: -
--

CREATE FUNCTION game_platform.game_platform_upsert_competitor(coach_id text, game_platform_user_id text, display_name text DEFAULT NULL::text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'game_platform', 'pg_temp'
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


--
-- Name: convert_pg_net_cron_job(bigint, text, text, text, text, jsonb, integer, text, text, integer); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.convert_pg_net_cron_job(old_job_id bigint, old_command_md5 text, job_name text, job_schedule text, task_type text, task_payload jsonb, max_attempts integer DEFAULT 3, dedupe_key text DEFAULT NULL::text, target_database text DEFAULT NULL::text, job_priority integer DEFAULT 0) RETURNS SETOF jobqueue.cron_job_info
    LANGUAGE plpgsql
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
DECLARE
  old_command text;
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  SELECT j.command INTO old_command
    FROM cron.job j
   WHERE j.jobid = convert_pg_net_cron_job.old_job_id AND j.command ~* '\mnet\s*\.\s*http_(post|get)\s*\(';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no pg_cron job % calls net.http_post or net.http_get', old_job_id USING ERRCODE = 'JQC04', COLUMN = 'jobName';
  END IF;
  IF md5(old_command) IS DISTINCT FROM convert_pg_net_cron_job.old_command_md5 THEN
    RAISE EXCEPTION 'the command of pg_cron job % changed since it was read: list the jobs and convert again', old_job_id
      USING ERRCODE = 'JQC09', COLUMN = 'jobName';
  END IF;

  PERFORM jobqueue.cron_admin_alter(convert_pg_net_cron_job.old_job_id, NULL, false);
  RETURN QUERY
  SELECT * FROM jobqueue.create_cron_job(convert_pg_net_cron_job.job_name, convert_pg_net_cron_job.job_schedule,
                                         convert_pg_net_cron_job.task_type, convert_pg_net_cron_job.task_payload,
                                         convert_pg_net_cron_job.max_attempts, convert_pg_net_cron_job.dedupe_key,
                                         convert_pg_net_cron_job.target_database, convert_pg_net_cron_job.job_priority);
END
$$;


--
-- Name: count_job_attempts(); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.count_job_attempts() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
BEGIN
  INSERT INTO job_queue_minute_counts AS c (minute, shard, succeeded, failed, retried, lease_expired, cancelled)
  SELECT date_trunc('minute', a.finished_at), floor(random() * 8)::smallint,
         count(*) FILTER (WHERE a.outcome = 'succeeded'), count(*) FILTER (WHERE a.outcome = 'failed'),
         count(*) FILTER (WHERE a.outcome = 'retry'), count(*) FILTER (WHERE a.outcome = 'lease_expired'),
         count(*) FILTER (WHERE a.outcome = 'cancelled')
    FROM new_attempts a
   GROUP BY 1
   ORDER BY 1
  ON CONFLICT (minute, shard) DO UPDATE
    SET succeeded = c.succeeded + EXCLUDED.succeeded, failed = c.failed + EXCLUDED.failed,
        retried = c.retried + EXCLUDED.retried, lease_expired = c.lease_expired + EXCLUDED.lease_expired,
        cancelled = c.cancelled + EXCLUDED.cancelled;
  RETURN NULL;
END
$$;


--
-- Name: count_job_statuses(); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.count_job_statuses() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
DECLARE
  d_pending bigint; d_processing bigint; d_succeeded bigint; d_failed bigint; d_cancelled bigint;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM job_queue_status_counts;
    RETURN NULL;
  ELSIF TG_OP = 'INSERT' THEN
    SELECT count(*) FILTER (WHERE r.status = 'pending'), count(*) FILTER (WHERE r.status = 'processing'),
           count(*) FILTER (WHERE r.status = 'succeeded'), count(*) FILTER (WHERE r.status = 'failed'),
           count(*) FILTER (WHERE r.status = 'cancelled')
      INTO d_pending, d_processing, d_succeeded, d_failed, d_cancelled
      FROM new_rows r;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT -count(*) FILTER (WHERE r.status = 'pending'), -count(*) FILTER (WHERE r.status = 'processing'),
           -count(*) FILTER (WHERE r.status = 'succeeded'), -count(*) FILTER (WHERE r.status = 'failed'),
           -count(*) FILTER (WHERE r.status = 'cancelled')
      INTO d_pending, d_processing, d_succeeded, d_failed, d_cancelled
      FROM old_rows r;
  ELSE
    SELECT n.pending - o.pending, n.processing - o.processing, n.succeeded - o.succeeded,
           n.failed - o.failed, n.cancelled - o.cancelled
      INTO d_pending, d_processing, d_succeeded, d_failed, d_cancelled
      FROM (SELECT count(*) FILTER (WHERE r.status = 'pending') AS pending, count(*) FILTER (WHERE r.status = 'processing') AS processing,
                   count(*) FILTER (WHERE r.status = 'succeeded') AS succeeded, count(*) FILTER (WHERE r.status = 'failed') AS failed,
                   count(*) FILTER (WHERE r.status = 'cancelled') AS cancelled
              FROM new_rows r) n,
           (SELECT count(*) FILTER (WHERE r.status = 'pending') AS pending, count(*) FILTER (WHERE r.status = 'processing') AS processing,
                   count(*) FILTER (WHERE r.status = 'succeeded') AS succeeded, count(*) FILTER (WHERE r.status = 'failed') AS failed,
                   count(*) FILTER (WHERE r.status = 'cancelled') AS cancelled
              FROM old_rows r) o;
  END IF;
  IF d_pending <> 0 OR d_processing <> 0 OR d_succeeded <> 0 OR d_failed <> 0 OR d_cancelled <> 0 THEN
    INSERT INTO job_queue_status_counts AS c (shard, pending, processing, succeeded, failed, cancelled)
    VALUES (floor(random() * 64)::smallint, d_pending, d_processing, d_succeeded, d_failed, d_cancelled)
    ON CONFLICT (shard) DO UPDATE
      SET pending = c.pending + EXCLUDED.pending, processing = c.processing + EXCLUDED.processing,
          succeeded = c.succeeded + EXCLUDED.succeeded, failed = c.failed + EXCLUDED.failed,
          cancelled = c.cancelled + EXCLUDED.cancelled;
  END IF;
  RETURN NULL;
END
$$;


--
-- Name: create_compat_wrappers(text[]); Type: PROCEDURE; Schema: jobqueue; Owner: -
--

CREATE PROCEDURE jobqueue.create_compat_wrappers(IN names text[])
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
  f record;
  args text;
  call text;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure AS signature, p.proname
      FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace AND p.proname = ANY (names)
       AND obj_description(p.oid, 'pg_proc') IS DISTINCT FROM 'jobqueue: compatibility wrapper of jobqueue.' || p.proname
     ORDER BY 2, 1::text
     LIMIT 1
  LOOP
    -- the signature reads public.name(args): this procedure's search_path does not hold public
    RAISE EXCEPTION '% is not JobQueue''s: the compatibility wrapper of that name was not made', f.signature
      USING ERRCODE = 'JQM01',
            HINT = 'JobQueue never replaces a function it did not make. Rename or drop that function first, '
                   || 'or run without the public wrappers (Database:PublicWrappers=false) and call jobqueue.' || f.proname || ' instead.';
  END LOOP;

  FOR f IN
    SELECT p.oid::regprocedure AS signature
      FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace
       AND obj_description(p.oid, 'pg_proc') = 'jobqueue: compatibility wrapper of jobqueue.' || p.proname
  LOOP
    EXECUTE format('DROP FUNCTION %s', f.signature);
  END LOOP;

  FOR f IN
    SELECT p.oid, p.proname, p.pronargs, p.proretset,
           pg_get_function_arguments(p.oid) AS arguments,
           pg_get_function_identity_arguments(p.oid) AS identity_arguments,
           pg_get_function_result(p.oid) AS result
      FROM pg_proc p
     WHERE p.pronamespace = 'jobqueue'::regnamespace AND p.prokind = 'f' AND p.proname = ANY (names)
  LOOP
    SELECT string_agg('$' || i, ', ' ORDER BY i) INTO args FROM generate_series(1, f.pronargs) AS i;
    call := format('jobqueue.%I(%s)', f.proname, COALESCE(args, ''));
    EXECUTE format(
      'CREATE FUNCTION public.%I(%s) RETURNS %s LANGUAGE sql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS %L',
      f.proname, f.arguments, f.result,
      CASE WHEN f.proretset OR f.result LIKE 'TABLE(%' THEN 'SELECT * FROM ' || call ELSE 'SELECT ' || call END);
    EXECUTE format('COMMENT ON FUNCTION public.%I(%s) IS %L', f.proname, f.identity_arguments,
                   'jobqueue: compatibility wrapper of jobqueue.' || f.proname);
  END LOOP;
END
$_$;


--
-- Name: create_cron_job(text, text, text, jsonb, integer, text, text, integer); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.create_cron_job(job_name text, job_schedule text, task_type text, task_payload jsonb DEFAULT '{}'::jsonb, max_attempts integer DEFAULT 3, dedupe_key text DEFAULT NULL::text, target_database text DEFAULT NULL::text, job_priority integer DEFAULT 0) RETURNS SETOF jobqueue.cron_job_info
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
DECLARE
  db      text    := COALESCE(create_cron_job.target_database, current_database());
  body    jsonb   := COALESCE(create_cron_job.task_payload, '{}'::jsonb);
  tries   integer := COALESCE(create_cron_job.max_attempts, 3);
  prio    integer := COALESCE(create_cron_job.job_priority, 0);
  cmd     text;
  new_id  bigint;
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  PERFORM jobqueue.cron_admin_check_name(create_cron_job.job_name);
  PERFORM jobqueue.cron_admin_check_schedule(create_cron_job.job_schedule);
  IF create_cron_job.task_type IS NULL OR length(create_cron_job.task_type) NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'task type must be 1 to 100 characters' USING ERRCODE = '22023', COLUMN = 'taskType';
  END IF;
  IF jsonb_typeof(body) <> 'object' OR octet_length(body::text) > 16384 THEN
    RAISE EXCEPTION 'payload must be a JSON object of at most 16384 bytes' USING ERRCODE = '22023', COLUMN = 'payload';
  END IF;
  IF tries NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'max attempts must be between 1 and 100' USING ERRCODE = '22023', COLUMN = 'maxAttempts';
  END IF;
  IF prio NOT BETWEEN -100 AND 100 THEN
    RAISE EXCEPTION 'priority must be between -100 and 100' USING ERRCODE = '22023', COLUMN = 'priority';
  END IF;
  IF create_cron_job.dedupe_key IS NOT NULL AND length(create_cron_job.dedupe_key) NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION 'dedupe key must be 1 to 200 characters' USING ERRCODE = '22023', COLUMN = 'dedupeKey';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_database d WHERE d.datname = db) THEN
    RAISE EXCEPTION 'database % does not exist', db USING ERRCODE = '22023', COLUMN = 'database';
  END IF;

  -- one creator per name at a time, so that the existence check below holds until commit
  PERFORM pg_advisory_xact_lock(hashtext('jobqueue.cron_job:' || create_cron_job.job_name));
  -- any job of this role with that name, the app's or not: cron.schedule would overwrite it
  IF EXISTS (SELECT FROM cron.job j WHERE j.jobname = create_cron_job.job_name AND j.username = current_user) THEN
    RAISE EXCEPTION 'a cron job named % already exists', create_cron_job.job_name
      USING ERRCODE = 'JQC09', COLUMN = 'jobName';
  END IF;

  -- the priority only when it is not the default: commands without one keep their shorter form
  cmd := CASE WHEN prio = 0
              THEN format('SELECT jobqueue.job_queue_enqueue(%L, %L::jsonb, now(), %s, %L, %L)',
                          create_cron_job.task_type, body::text, tries, create_cron_job.dedupe_key,
                          'pg_cron:' || create_cron_job.job_name)
              ELSE format('SELECT jobqueue.job_queue_enqueue(%L, %L::jsonb, now(), %s, %L, %L, NULL, %s)',
                          create_cron_job.task_type, body::text, tries, create_cron_job.dedupe_key,
                          'pg_cron:' || create_cron_job.job_name, prio)
         END;
  IF db = current_database() THEN
    new_id := cron.schedule(create_cron_job.job_name, create_cron_job.job_schedule, cmd);
  ELSE
    BEGIN
      new_id := cron.schedule_in_database(create_cron_job.job_name, create_cron_job.job_schedule, cmd, db);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION 'the database role % may not call cron.schedule_in_database', current_user
        USING ERRCODE = 'JQC01',
              HINT = format('as an admin: GRANT EXECUTE ON FUNCTION cron.schedule_in_database(text,text,text,text,text,boolean) TO %I', current_user);
    END;
  END IF;

  DELETE FROM jobqueue.cron_jobs r WHERE r.jobid = new_id;
  INSERT INTO jobqueue.cron_jobs (jobid, task_type, payload, max_attempts, dedupe_key, target_database, command, priority)
  VALUES (new_id, create_cron_job.task_type, body, tries, create_cron_job.dedupe_key, db, cmd, prio);

  RETURN QUERY SELECT o.* FROM jobqueue.cron_admin_own_jobs() o WHERE o.jobid = new_id;
END
$$;


--
-- Name: cron_admin_adopt_legacy_jobs(); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.cron_admin_adopt_legacy_jobs() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
DECLARE
  j record;
  m text[];
  task text;
  body text;
  dedupe text;
  n integer := 0;
BEGIN
  IF to_regclass('cron.job') IS NULL THEN
    RETURN 0;
  END IF;
  FOR j IN SELECT c.jobid, c.jobname, c.command, c.database FROM cron.job c WHERE c.username = current_user LOOP
    m := regexp_match(j.command,
      '^SELECT public\.job_queue_enqueue\((E?''(?:[^'']|'''')*''), (E?''(?:[^'']|'''')*'')::jsonb, now\(\), ([0-9]{1,3}), (NULL|E?''(?:[^'']|'''')*''), (E?''(?:[^'']|'''')*'')\)$');
    CONTINUE WHEN m IS NULL;
    task := jobqueue.cron_admin_unquote(m[1]);
    body := jobqueue.cron_admin_unquote(m[2]);
    dedupe := CASE WHEN m[4] = 'NULL' THEN NULL ELSE jobqueue.cron_admin_unquote(m[4]) END;
    CONTINUE WHEN task IS NULL OR body IS NULL OR (m[4] <> 'NULL' AND dedupe IS NULL)
               OR jobqueue.cron_admin_unquote(m[5]) IS DISTINCT FROM 'pg_cron:' || j.jobname;
    BEGIN
      CONTINUE WHEN format('SELECT public.job_queue_enqueue(%L, %L::jsonb, now(), %s, %L, %L)',
                           task, body::jsonb::text, m[3]::integer, dedupe, 'pg_cron:' || j.jobname) <> j.command;
    EXCEPTION WHEN invalid_text_representation THEN
      CONTINUE;
    END;
    INSERT INTO jobqueue.cron_jobs (jobid, task_type, payload, max_attempts, dedupe_key, target_database, command)
    VALUES (j.jobid, task, body::jsonb, m[3]::integer, dedupe, COALESCE(j.database, current_database()), j.command)
    ON CONFLICT (jobid) DO NOTHING;
    IF FOUND THEN
      n := n + 1;
    END IF;
  END LOOP;
  RETURN n;
END
$_$;


--
-- Name: cron_admin_alter(bigint, text, boolean); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.cron_admin_alter(job_id bigint, new_schedule text, new_active boolean) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
BEGIN
  PERFORM cron.alter_job(job_id => job_id, schedule => new_schedule, active => new_active);
EXCEPTION WHEN insufficient_privilege THEN
  RAISE EXCEPTION 'the database role % may not call cron.alter_job', current_user
    USING ERRCODE = 'JQC01',
          HINT = format('as an admin: GRANT EXECUTE ON FUNCTION cron.alter_job(bigint,text,text,text,text,boolean) TO %I', current_user);
END
$$;


--
-- Name: cron_admin_check_name(text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.cron_admin_check_name(job_name text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
BEGIN
  IF job_name IS NULL OR job_name !~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$' THEN
    RAISE EXCEPTION 'job name must be 1 to 63 characters: letters, digits, "_", "." or "-", starting with a letter or digit'
      USING ERRCODE = '22023', COLUMN = 'jobName';
  END IF;
END
$_$;


--
-- Name: cron_admin_check_schedule(text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.cron_admin_check_schedule(job_schedule text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
BEGIN
  IF job_schedule IS NULL OR length(job_schedule) > 100
     OR job_schedule !~ '^[0-9*,/-]+ [0-9*,/-]+ [0-9*,/-]+ [0-9*,/-]+ [0-9*,/-]+$' THEN
    RAISE EXCEPTION 'schedule must be 5 space-separated cron fields (minute hour day-of-month month day-of-week) of digits and * , - /'
      USING ERRCODE = '22023', COLUMN = 'schedule';
  END IF;
END
$_$;


--
-- Name: cron_admin_job_id(text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.cron_admin_job_id(job_name text) RETURNS bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
DECLARE
  id bigint;
BEGIN
  PERFORM jobqueue.cron_admin_check_name(job_name);
  SELECT o.jobid INTO id FROM jobqueue.cron_admin_own_jobs() o WHERE o.jobname = job_name;
  IF id IS NULL THEN
    RAISE EXCEPTION 'no cron job named % is managed by JobQueue', job_name USING ERRCODE = 'JQC04', COLUMN = 'jobName';
  END IF;
  RETURN id;
END
$$;


--
-- Name: cron_admin_own_jobs(); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.cron_admin_own_jobs() RETURNS SETOF jobqueue.cron_job_info
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  RETURN QUERY
  SELECT j.jobid, j.jobname::text, j.schedule, j.active, r.task_type, r.payload, r.max_attempts,
         r.dedupe_key, r.target_database, r.priority
    FROM cron.job j
    JOIN jobqueue.cron_jobs r ON r.jobid = j.jobid AND r.command = j.command
   WHERE j.username = current_user;
END
$$;


--
-- Name: cron_admin_require_pg_cron(); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.cron_admin_require_pg_cron() RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
BEGIN
  IF to_regclass('cron.job') IS NULL THEN
    RAISE EXCEPTION 'pg_cron is not installed in database %', current_database()
      USING ERRCODE = 'JQC01',
            HINT = 'set Cron:ConnectionString to the database named by cron.database_name';
  END IF;
END
$$;


--
-- Name: cron_admin_unquote(text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.cron_admin_unquote(literal text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
DECLARE
  v text;
BEGIN
  IF literal ~ '^E''.*''$' THEN
    v := replace(replace(substr(literal, 3, length(literal) - 3), '\\', '\'), '''''', '''');
  ELSIF literal ~ '^''.*''$' THEN
    v := replace(substr(literal, 2, length(literal) - 2), '''''', '''');
  ELSE
    RETURN NULL;
  END IF;
  RETURN CASE WHEN quote_literal(v) = literal THEN v END;
END
$_$;


--
-- Name: cron_job_counts(text, timestamp with time zone); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.cron_job_counts(owner_role text, since timestamp with time zone) RETURNS TABLE(seen_as text, sees_all boolean, other_role_jobs bigint, other_role_failed_runs bigint)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  seen_as := current_user;
  SELECT r.rolsuper OR r.rolbypassrls OR NOT c.relrowsecurity
         OR (NOT c.relforcerowsecurity AND pg_has_role(current_user, c.relowner, 'USAGE'))
    INTO sees_all
    FROM pg_roles r, pg_class c
   WHERE r.rolname = current_user AND c.oid = 'cron.job'::regclass;
  sees_all := COALESCE(sees_all, false);
  IF sees_all THEN
    SELECT count(*) INTO other_role_jobs FROM cron.job j WHERE j.username <> cron_job_counts.owner_role;
    SELECT count(*) INTO other_role_failed_runs
      FROM cron.job_run_details d
      JOIN cron.job j ON j.jobid = d.jobid
     WHERE j.username <> cron_job_counts.owner_role AND d.status = 'failed' AND d.start_time >= cron_job_counts.since;
  END IF;
  RETURN NEXT;
END
$$;


--
-- Name: cron_job_visibility(timestamp with time zone); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.cron_job_visibility(since timestamp with time zone) RETURNS TABLE(owner_role text, sees_all boolean, unlisted_jobs bigint, unlisted_failed_runs bigint, other_role_jobs bigint, other_role_failed_runs bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  SELECT c.seen_as, c.sees_all, c.other_role_jobs, c.other_role_failed_runs
    INTO owner_role, sees_all, other_role_jobs, other_role_failed_runs
    FROM jobqueue.cron_job_counts(current_user, cron_job_visibility.since) c;
  SELECT count(*) INTO unlisted_jobs
    FROM cron.job j
   WHERE j.username = current_user AND j.jobid NOT IN (SELECT o.jobid FROM jobqueue.cron_admin_own_jobs() o);
  SELECT count(*) INTO unlisted_failed_runs
    FROM cron.job_run_details d
    JOIN cron.job j ON j.jobid = d.jobid
   WHERE j.username = current_user AND j.jobid NOT IN (SELECT o.jobid FROM jobqueue.cron_admin_own_jobs() o)
     AND d.status = 'failed' AND d.start_time >= cron_job_visibility.since;
  RETURN NEXT;
END
$$;


--
-- Name: cutover_old_runs(bigint[], integer); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.cutover_old_runs(jobids bigint[], runs integer DEFAULT 10) RETURNS TABLE(jobid bigint, active boolean, command text, runid bigint, status text, return_message text, start_time timestamp with time zone, end_time timestamp with time zone)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  RETURN QUERY
  SELECT j.jobid, j.active, j.command, d.runid, d.status, d.return_message, d.start_time, d.end_time
    FROM cron.job j
    LEFT JOIN LATERAL (
      SELECT x.runid, x.status, x.return_message, x.start_time, x.end_time
        FROM cron.job_run_details x
       WHERE x.jobid = j.jobid
       ORDER BY x.runid DESC
       LIMIT LEAST(GREATEST(COALESCE(cutover_old_runs.runs, 10), 1), 100)) d ON true
   WHERE j.jobid = ANY (cutover_old_runs.jobids)
   ORDER BY j.jobid, d.runid DESC;
END
$$;


--
-- Name: cutover_parity_attempts(text[], timestamp with time zone, integer); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.cutover_parity_attempts(jobnames text[], since timestamp with time zone, jobs_per_name integer DEFAULT 10) RETURNS TABLE(jobname text, job_id uuid, job_status text, created_at timestamp with time zone, attempt integer, outcome text, started_at timestamp with time zone, finished_at timestamp with time zone, duration_ms integer, status_code integer, error text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
  SELECT n.jobname, j.id, j.status, j.created_at, a.attempt, a.outcome, a.started_at, a.finished_at, a.duration_ms,
         CASE
           WHEN a.outcome = 'succeeded' AND j.output ->> 'status' ~ '^[1-5][0-9][0-9]$' THEN (j.output ->> 'status')::integer
           ELSE (substring(a.error FROM '^(?:[A-Za-z]+: )?HTTP ([1-5][0-9][0-9]) '))::integer
         END,
         left(a.error, 500)
    FROM unnest(cutover_parity_attempts.jobnames) AS n(jobname)
    CROSS JOIN LATERAL (
      SELECT q.id, q.status, q.created_at, q.output
        FROM jobqueue.job_queue q
       WHERE q.triggered_by = 'pg_cron:' || n.jobname
         AND q.created_at >= cutover_parity_attempts.since
       ORDER BY q.id DESC
       LIMIT LEAST(GREATEST(COALESCE(cutover_parity_attempts.jobs_per_name, 10), 1), 100)) j
    LEFT JOIN jobqueue.job_queue_attempts a ON a.job_id = j.id
   ORDER BY n.jobname, j.id DESC, a.attempt;
$_$;


--
-- Name: delete_cron_job(text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.delete_cron_job(job_name text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
DECLARE
  id bigint := jobqueue.cron_admin_job_id(delete_cron_job.job_name);
BEGIN
  DELETE FROM jobqueue.cron_jobs r WHERE r.jobid = id;
  RETURN cron.unschedule(id);
END
$$;


--
-- Name: get_cron_job_runs(integer); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.get_cron_job_runs("limit" integer DEFAULT 50) RETURNS TABLE(runid bigint, jobid bigint, jobname text, status text, return_message text, start_time timestamp with time zone, end_time timestamp with time zone, database text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  RETURN QUERY
  SELECT d.runid, d.jobid, o.jobname, d.status, d.return_message, d.start_time, d.end_time, d.database
    FROM cron.job_run_details d
    JOIN jobqueue.cron_admin_own_jobs() o ON o.jobid = d.jobid
   ORDER BY d.runid DESC
   LIMIT LEAST(GREATEST(COALESCE(get_cron_job_runs."limit", 50), 1), 1000);
END
$$;


--
-- Name: get_cron_jobs(); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.get_cron_jobs() RETURNS TABLE(jobid bigint, jobname text, schedule text, active boolean, task_type text, payload jsonb, max_attempts integer, dedupe_key text, database text, priority integer, last_run_status text, last_run_started_at timestamp with time zone, last_run_finished_at timestamp with time zone, last_run_message text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  RETURN QUERY
  SELECT o.jobid, o.jobname, o.schedule, o.active, o.task_type, o.payload, o.max_attempts, o.dedupe_key,
         o.database, o.priority, r.status, r.start_time, r.end_time, r.return_message
    FROM jobqueue.cron_admin_own_jobs() o
    LEFT JOIN LATERAL (
      SELECT d.status, d.start_time, d.end_time, d.return_message
        FROM cron.job_run_details d
       WHERE d.jobid = o.jobid
       ORDER BY d.runid DESC
       LIMIT 1) r ON true
   ORDER BY o.jobname, o.jobid;
END
$$;


--
-- Name: get_cutover_cron_jobs(); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.get_cutover_cron_jobs() RETURNS TABLE(old_jobid bigint, old_jobname text, old_username text, old_database text, new_jobname text, converted_at timestamp with time zone, rolled_back_at timestamp with time zone)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
BEGIN
  RETURN QUERY
  SELECT c.old_jobid, c.old_jobname, c.old_username, c.old_database, c.new_jobname, c.converted_at, c.rolled_back_at
    FROM jobqueue.cutover_cron_jobs c
   ORDER BY c.converted_at, c.old_jobid;
END
$$;


--
-- Name: get_pg_net_cron_jobs(); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.get_pg_net_cron_jobs() RETURNS TABLE(jobid bigint, jobname text, schedule text, active boolean, database text, username text, command text, command_md5 text)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
BEGIN
  PERFORM jobqueue.cron_admin_require_pg_cron();
  RETURN QUERY
  SELECT j.jobid, j.jobname::text, j.schedule, j.active, j.database, j.username::text,
         jobqueue.pg_net_mask_keys(j.command), md5(j.command)
    FROM cron.job j
   WHERE j.command ~* '\mnet\s*\.\s*http_(post|get)\s*\('
     AND NOT EXISTS (SELECT 1 FROM jobqueue.cron_jobs r WHERE r.jobid = j.jobid AND r.command = j.command)
   ORDER BY j.jobname, j.jobid;
END
$$;


--
-- Name: grantee_name(oid); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.grantee_name(grantee oid) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ SELECT CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE grantee::regrole::text END $$;


--
-- Name: held_flag_key(text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.held_flag_key(task_type text) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN hashtextextended(('job_queue_held:'::text || task_type), (0)::bigint);


--
-- Name: held_flag_sync(text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.held_flag_sync(task_type text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
DECLARE
  is_held boolean;
  batch uuid[];
  n integer;
  total integer;
BEGIN
  PERFORM pg_advisory_xact_lock(held_flag_key(held_flag_sync.task_type));
  is_held := EXISTS (SELECT 1 FROM job_queue_task_limits l WHERE l.task_type = held_flag_sync.task_type);
  UPDATE job_queue q SET held = is_held
   WHERE q.status = 'processing' AND q.task_type = held_flag_sync.task_type AND q.held = NOT is_held;
  GET DIAGNOSTICS total = ROW_COUNT;
  IF is_held THEN
    -- the type's pending jobs are among the due index's (which has no type column): one scan
    UPDATE job_queue q SET held = true
     WHERE q.status = 'pending' AND NOT q.held AND q.task_type = held_flag_sync.task_type;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN total + n;
  END IF;
  -- the type's held range, in job_queue_held_due_idx's order so that the plan is a range of it
  -- whatever the planner estimates (an empty range costs one descent), in batches of 10,000
  LOOP
    batch := ARRAY(
      SELECT q.id FROM job_queue q
       WHERE q.status = 'pending' AND q.held AND q.task_type = held_flag_sync.task_type
       ORDER BY q.priority DESC, q.run_at, q.id
       LIMIT 10000);
    EXIT WHEN cardinality(batch) = 0;
    UPDATE job_queue q SET held = false WHERE q.id = ANY (batch) AND q.status = 'pending' AND q.held;
    GET DIAGNOSTICS n = ROW_COUNT;
    total := total + n;
    EXIT WHEN cardinality(batch) < 10000;
  END LOOP;
  RETURN total;
END
$$;


--
-- Name: job_filter_clause(boolean, boolean, boolean, boolean, boolean); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_filter_clause(has_status boolean, has_task_type boolean, has_after boolean, has_before boolean, has_text boolean) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
  SELECT CASE WHEN $1 THEN ' AND j.status = $1' ELSE '' END
      || CASE WHEN $2 THEN ' AND j.task_type = $2' ELSE '' END
      || CASE WHEN $3 THEN ' AND j.created_at >= $3' ELSE '' END
      || CASE WHEN $4 THEN ' AND j.created_at < $4' ELSE '' END
      || CASE WHEN $5 THEN ' AND j.payload::text ILIKE $5' ELSE '' END;
$_$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: job_queue_audit; Type: TABLE; Schema: jobqueue; Owner: -
--

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


--
-- Name: job_queue_audit_list(integer, bigint, text, text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_audit_list("limit" integer DEFAULT 50, before_id bigint DEFAULT NULL::bigint, action text DEFAULT NULL::text, actor text DEFAULT NULL::text) RETURNS SETOF jobqueue.job_queue_audit
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
  SELECT * FROM job_queue_audit a
   WHERE ($2 IS NULL OR a.id < $2) AND ($3 IS NULL OR a.action = $3) AND ($4 IS NULL OR a.actor = $4)
   ORDER BY a.id DESC
   LIMIT LEAST(GREATEST(COALESCE($1, 50), 1), 500);
$_$;


--
-- Name: job_queue_audit_prune(timestamp with time zone, integer); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_audit_prune(older_than timestamp with time zone, batch_size integer DEFAULT 1000) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
DECLARE
  n integer;
BEGIN
  WITH victims AS (
    SELECT a.id FROM job_queue_audit a WHERE a.at < older_than
     ORDER BY a.at LIMIT LEAST(GREATEST(COALESCE(batch_size, 1000), 1), 50000)
  ), gone AS (
    DELETE FROM job_queue_audit a USING victims v WHERE a.id = v.id RETURNING 1
  )
  SELECT count(*) INTO n FROM gone;
  RETURN n;
END
$$;


--
-- Name: job_queue_audit_record(text, text, text, text, integer, text, text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_audit_record(actor text, action text, target text, outcome text, status integer, detail text DEFAULT NULL::text, request_id text DEFAULT NULL::text) RETURNS bigint
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
  INSERT INTO job_queue_audit (actor, action, target, outcome, status, detail, request_id)
  VALUES (left($1, 200), left($2, 50), left($3, 300), $4, $5, left($6, 1000), left($7, 200))
  RETURNING id;
$_$;


--
-- Name: job_queue_bulk_cancel(text, text, timestamp with time zone, timestamp with time zone, text, boolean, integer, text, text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_bulk_cancel(status text, task_type text, created_after timestamp with time zone, created_before timestamp with time zone, payload_text text, dry_run boolean DEFAULT true, max_jobs integer DEFAULT 10000, actor text DEFAULT NULL::text, reason text DEFAULT NULL::text) RETURNS TABLE(matched bigint, changed integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
#variable_conflict use_variable
DECLARE
  clause text := jobqueue.job_filter_clause(status IS NOT NULL, task_type IS NOT NULL, created_after IS NOT NULL,
                                         created_before IS NOT NULL, payload_text IS NOT NULL)
                 || ' AND j.status IN (''pending'', ''processing'')';
  pattern text := jobqueue.like_pattern(payload_text);
  cap integer := LEAST(GREATEST(COALESCE(max_jobs, 10000), 1), 100000);
  message text := left('cancelled' || COALESCE(' by ' || actor, '') || COALESCE(': ' || reason, ''), 4000);
  n_matched bigint;
  n_changed integer := 0;
BEGIN
  EXECUTE 'SELECT count(*) FROM job_queue j WHERE true' || clause
    INTO n_matched USING status, task_type, created_after, created_before, pattern;
  IF NOT COALESCE(dry_run, true) AND n_matched > 0 THEN
    EXECUTE
      'WITH picked AS (
         SELECT j.id, j.status, j.attempts, j.locked_by, j.started_at FROM job_queue j WHERE true' || clause || '
          ORDER BY j.id LIMIT $6 FOR UPDATE SKIP LOCKED
       ), history AS (
         INSERT INTO job_queue_attempts (job_id, attempt, runner_id, started_at, outcome, error, duration_ms)
         SELECT p.id, p.attempts, p.locked_by, COALESCE(p.started_at, now()), ''cancelled'', $7,
                GREATEST(0, (extract(epoch FROM now() - COALESCE(p.started_at, now())) * 1000)::integer)
           FROM picked p WHERE p.status = ''processing''
       ), done AS (
         UPDATE job_queue q
            SET status = ''cancelled'', last_error = $7, locked_by = NULL, locked_until = NULL,
                completed_at = now(), updated_at = now()
           FROM picked p WHERE q.id = p.id
         RETURNING 1
       )
       SELECT count(*) FROM done'
      INTO n_changed USING status, task_type, created_after, created_before, pattern, cap, message;
  END IF;
  RETURN QUERY SELECT n_matched, n_changed;
END
$_$;


--
-- Name: job_queue_bulk_retry(text, text, timestamp with time zone, timestamp with time zone, text, boolean, integer, text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_bulk_retry(status text, task_type text, created_after timestamp with time zone, created_before timestamp with time zone, payload_text text, dry_run boolean DEFAULT true, max_jobs integer DEFAULT 10000, actor text DEFAULT NULL::text) RETURNS TABLE(matched bigint, changed integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
#variable_conflict use_variable
DECLARE
  clause text := jobqueue.job_filter_clause(status IS NOT NULL, task_type IS NOT NULL, created_after IS NOT NULL,
                                         created_before IS NOT NULL, payload_text IS NOT NULL)
                 || ' AND j.status IN (''failed'', ''cancelled'')';
  pattern text := jobqueue.like_pattern(payload_text);
  cap integer := LEAST(GREATEST(COALESCE(max_jobs, 10000), 1), 100000);
  n_matched bigint;
  n_changed integer := 0;
  retry_sql text;
  retried_types text[];
  retried_type text;
BEGIN
  IF COALESCE(dry_run, true) THEN
    EXECUTE 'SELECT count(*) FROM job_queue j WHERE true' || clause
      INTO n_matched USING status, task_type, created_after, created_before, pattern;
  ELSE
    EXECUTE 'SELECT count(*), COALESCE(array_agg(DISTINCT j.task_type ORDER BY j.task_type), ''{}'') FROM job_queue j WHERE true' || clause
      INTO n_matched, retried_types USING status, task_type, created_after, created_before, pattern;
  END IF;
  IF NOT COALESCE(dry_run, true) AND n_matched > 0 THEN
    -- the shared lock of each type retried, sorted, before the statement that reads the limits; a job
    -- of another type (failed since the count) is left for the next call
    FOREACH retried_type IN ARRAY retried_types LOOP
      PERFORM pg_advisory_xact_lock_shared(held_flag_key(retried_type));
    END LOOP;
    retry_sql :=
      'WITH picked AS (
         SELECT j.id, j.task_type, j.dedupe_key FROM job_queue j WHERE true' || clause || ' AND j.task_type = ANY ($9)
          ORDER BY j.id LIMIT $6 FOR UPDATE SKIP LOCKED
       ), eligible AS (
         SELECT p.id FROM picked p WHERE p.dedupe_key IS NULL
         UNION ALL
         (SELECT DISTINCT ON (p.task_type, p.dedupe_key) p.id FROM picked p
           WHERE p.dedupe_key IS NOT NULL AND $8
             AND NOT EXISTS (SELECT 1 FROM job_queue l WHERE l.task_type = p.task_type AND l.dedupe_key = p.dedupe_key
                                                          AND l.status IN (''pending'', ''processing''))
           ORDER BY p.task_type, p.dedupe_key, p.id DESC)
       ), done AS (
         UPDATE job_queue q
            SET status = ''pending'', attempts = 0, run_at = now(), completed_at = NULL, output = NULL,
                triggered_by = COALESCE($7, q.triggered_by), updated_at = now(),
                held = q.task_type IN (SELECT l.task_type FROM job_queue_task_limits l)
           FROM eligible e WHERE q.id = e.id
         RETURNING 1
       )
       SELECT count(*) FROM done';
    BEGIN
      EXECUTE retry_sql INTO n_changed USING status, task_type, created_after, created_before, pattern, cap, actor, true, retried_types;
    EXCEPTION WHEN unique_violation THEN
      -- a job with the same dedupe key was enqueued meanwhile: retry only the jobs without a key
      EXECUTE retry_sql INTO n_changed USING status, task_type, created_after, created_before, pattern, cap, actor, false, retried_types;
    END;
  END IF;
  RETURN QUERY SELECT n_matched, n_changed;
END
$_$;


--
-- Name: job_queue_cancel(uuid, text, text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_cancel(id uuid, actor text DEFAULT NULL::text, reason text DEFAULT NULL::text) RETURNS TABLE(outcome text, status text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
  j job_queue;
  message text;
BEGIN
  SELECT * INTO j FROM job_queue q WHERE q.id = job_queue_cancel.id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text; RETURN;
  END IF;
  IF j.status NOT IN ('pending', 'processing') THEN
    RETURN QUERY SELECT 'invalid_state'::text, j.status; RETURN;
  END IF;
  message := left('cancelled' || COALESCE(' by ' || job_queue_cancel.actor, '')
                  || COALESCE(': ' || job_queue_cancel.reason, ''), 4000);
  IF j.status = 'processing' THEN
    INSERT INTO job_queue_attempts (job_id, attempt, runner_id, started_at, outcome, error, duration_ms)
    VALUES (j.id, j.attempts, j.locked_by, COALESCE(j.started_at, now()), 'cancelled', message,
            GREATEST(0, (extract(epoch FROM now() - COALESCE(j.started_at, now())) * 1000)::integer));
  END IF;
  UPDATE job_queue q
     SET status = 'cancelled', last_error = message, locked_by = NULL, locked_until = NULL,
         completed_at = now(), updated_at = now()
   WHERE q.id = j.id;
  RETURN QUERY SELECT 'ok'::text, 'cancelled'::text;
END
$$;


--
-- Name: job_queue; Type: TABLE; Schema: jobqueue; Owner: -
--

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


--
-- Name: job_queue_claim(integer, interval, text, timestamp with time zone, uuid, integer); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_claim("limit" integer, lease interval DEFAULT '00:05:00'::interval, runner_id text DEFAULT NULL::text, after_run_at timestamp with time zone DEFAULT NULL::timestamp with time zone, after_id uuid DEFAULT NULL::uuid, after_priority integer DEFAULT NULL::integer) RETURNS SETOF jobqueue.job_queue
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
  n         integer  := LEAST(GREATEST(COALESCE(job_queue_claim."limit", 1), 0), 10000);
  who       text     := COALESCE(job_queue_claim.runner_id, 'sql:' || pg_backend_pid());
  lease_for interval := COALESCE(job_queue_claim.lease, interval '5 minutes');
  after_key uuid     := COALESCE(job_queue_claim.after_id, '00000000-0000-0000-0000-000000000000'::uuid);
  ids       uuid[]   := '{}';
  more      uuid[];
  limited_types text[];
  level     integer;
  lim       record;
  budget    bigint;
  taken     integer  := 0;
  stamp     timestamptz;
BEGIN
  IF n = 0 THEN
    RETURN;
  END IF;
  -- the pause switch, under its shared lock (held until this claim commits): see the header
  PERFORM pg_advisory_xact_lock_shared(processing_switch_key());
  IF NOT EXISTS (SELECT 1 FROM job_queue_settings s WHERE s.id AND s.processing_enabled) THEN
    RETURN;
  END IF;
  -- rescue only when some lease has expired: reads the lease index up to now() only
  IF EXISTS (SELECT 1 FROM job_queue q WHERE q.status = 'processing' AND q.locked_until < now()) THEN
    PERFORM job_queue_rescue_expired(100);
  END IF;
  IF EXISTS (SELECT 1 FROM job_queue_task_limits) THEN
    limited_types := ARRAY(SELECT l.task_type FROM job_queue_task_limits l);
  END IF;

  -- task types without limits, one priority level at a time, highest first: the jobs not held (the
  -- due index holds no other); a job whose flag is stale (false, of a limited type) is still filtered
  -- out here, so that no limit is exceeded (it waits for the repair: see the header)
  level := (SELECT max(q.priority) FROM job_queue q WHERE q.status = 'pending' AND NOT q.held);
  WHILE level IS NOT NULL AND cardinality(ids) < n LOOP
    IF level = job_queue_claim.after_priority AND job_queue_claim.after_run_at IS NOT NULL THEN
      more := ARRAY(
        SELECT q.id FROM job_queue q
         WHERE q.status = 'pending' AND NOT q.held AND q.priority = level AND q.run_at <= now()
           AND (q.run_at, q.id) > (job_queue_claim.after_run_at, after_key)
           AND (limited_types IS NULL OR q.task_type <> ALL (limited_types))
         ORDER BY q.run_at, q.id
         LIMIT n - cardinality(ids)
           FOR UPDATE SKIP LOCKED);
      IF cardinality(ids) + cardinality(more) < n THEN
        -- too few after the cursor: the ones before it too (this scan meets the old entries)
        more := more || ARRAY(
          SELECT q.id FROM job_queue q
           WHERE q.status = 'pending' AND NOT q.held AND q.priority = level AND q.run_at <= now()
             AND (q.run_at, q.id) <= (job_queue_claim.after_run_at, after_key)
             AND (limited_types IS NULL OR q.task_type <> ALL (limited_types))
           ORDER BY q.run_at, q.id
           LIMIT n - cardinality(ids) - cardinality(more)
             FOR UPDATE SKIP LOCKED);
      END IF;
    ELSE
      more := ARRAY(
        SELECT q.id FROM job_queue q
         WHERE q.status = 'pending' AND NOT q.held AND q.priority = level AND q.run_at <= now()
           AND (limited_types IS NULL OR q.task_type <> ALL (limited_types))
         ORDER BY q.run_at, q.id
         LIMIT n - cardinality(ids)
           FOR UPDATE SKIP LOCKED);
    END IF;
    ids := ids || more;
    level := (SELECT max(q.priority) FROM job_queue q WHERE q.status = 'pending' AND NOT q.held AND q.priority < level);
  END LOOP;

  -- task types with limits or a pause: one claimer per type at a time, within the type's budgets
  IF limited_types IS NOT NULL AND cardinality(ids) < n THEN
    FOR lim IN
      SELECT * FROM job_queue_task_limits l
       WHERE l.paused_until IS NULL OR l.paused_until <= now()
       ORDER BY l.task_type
         FOR UPDATE SKIP LOCKED
    LOOP
      EXIT WHEN cardinality(ids) + taken >= n;
      budget := n - cardinality(ids) - taken;
      IF lim.max_concurrency IS NOT NULL THEN
        budget := LEAST(budget, lim.max_concurrency
                                - (SELECT count(*) FROM job_queue q WHERE q.status = 'processing' AND q.task_type = lim.task_type));
      END IF;
      -- after the concurrency count (which sees every finish committed before it): the start of this
      -- type's jobs, and the time its rate window ends at (starts are stamped under the type's lock)
      stamp := clock_timestamp();
      IF lim.rate_limit IS NOT NULL THEN
        DELETE FROM job_queue_task_starts s
         WHERE s.task_type = lim.task_type AND s.started_at <= stamp - lim.rate_interval_ms * interval '1 millisecond';
        budget := LEAST(budget, lim.rate_limit - (SELECT count(*) FROM job_queue_task_starts s WHERE s.task_type = lim.task_type));
      END IF;
      CONTINUE WHEN budget <= 0;

      -- the type's held jobs: one range of job_queue_held_due_idx, in its order (a job of this type
      -- flagged false is not read here, nor by the walk above: see the header)
      IF lim.partition_by IS NULL THEN
        more := ARRAY(
          SELECT q.id FROM job_queue q
           WHERE q.status = 'pending' AND q.held AND q.task_type = lim.task_type AND q.run_at <= now()
           ORDER BY q.priority DESC, q.run_at, q.id
           LIMIT budget
             FOR UPDATE SKIP LOCKED);
      ELSE
        more := ARRAY(
          WITH running AS (
            SELECT COALESCE(q.partition_key, q.payload ->> lim.partition_by) AS part, count(*) AS busy
              FROM job_queue q
             WHERE q.status = 'processing' AND q.task_type = lim.task_type
             GROUP BY 1
          ), candidates AS (
            SELECT q.id, q.priority, q.run_at, COALESCE(q.partition_key, q.payload ->> lim.partition_by) AS part
              FROM job_queue q
             WHERE q.status = 'pending' AND q.held AND q.task_type = lim.task_type AND q.run_at <= now()
             ORDER BY q.priority DESC, q.run_at, q.id
             LIMIT 1000
          ), ranked AS (
            SELECT c.*, row_number() OVER (PARTITION BY c.part ORDER BY c.priority DESC, c.run_at, c.id) AS rn
              FROM candidates c
          )
          SELECT r.id FROM ranked r LEFT JOIN running u ON u.part IS NOT DISTINCT FROM r.part
           WHERE r.rn <= lim.max_concurrency_per_partition - COALESCE(u.busy, 0)
           ORDER BY r.priority DESC, r.run_at, r.id
           LIMIT budget);
        more := ARRAY(
          SELECT q.id FROM job_queue q
           WHERE q.id = ANY (more) AND q.status = 'pending'
           ORDER BY q.priority DESC, q.run_at, q.id
             FOR UPDATE SKIP LOCKED);
      END IF;

      CONTINUE WHEN cardinality(more) = 0;
      IF lim.rate_limit IS NOT NULL THEN
        INSERT INTO job_queue_task_starts (task_type, started_at) SELECT lim.task_type, stamp FROM unnest(more);
      END IF;
      RETURN QUERY
      UPDATE job_queue j
         SET status       = 'processing',
             attempts     = j.attempts + 1,
             locked_by    = who,
             locked_until = now() + lease_for,
             started_at   = stamp,
             updated_at   = now()
       WHERE j.id = ANY (more)
      RETURNING j.*;
      taken := taken + cardinality(more);
    END LOOP;
  END IF;

  -- the due ids of types without limits are locked: updated by primary key, so the plan never depends on the table's size
  RETURN QUERY
  UPDATE job_queue j
     SET status       = 'processing',
         attempts     = j.attempts + 1,
         locked_by    = who,
         locked_until = now() + lease_for,
         started_at   = clock_timestamp(),
         updated_at   = now()
   WHERE j.id = ANY (ids)
  RETURNING j.*;
END
$$;


--
-- Name: job_queue_claim_missed_tick(text, timestamp with time zone, integer, text, text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_claim_missed_tick(name text, tick timestamp with time zone, missed integer, action text, instance text DEFAULT NULL::text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
  claimed boolean;
BEGIN
  IF action NOT IN ('fired', 'skipped') THEN
    RAISE EXCEPTION 'action must be fired or skipped' USING ERRCODE = '22023';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('job_queue_schedule:' || job_queue_claim_missed_tick.name, 0));
  UPDATE job_queue_schedule_ticks t
     SET last_tick = job_queue_claim_missed_tick.tick,
         fired_by = job_queue_claim_missed_tick.instance,
         fired_at = now(),
         missed_ticks = t.missed_ticks + GREATEST(COALESCE(job_queue_claim_missed_tick.missed, 1), 1),
         last_missed_tick = job_queue_claim_missed_tick.tick,
         last_missed_action = job_queue_claim_missed_tick.action,
         last_missed_at = now()
   WHERE t.name = job_queue_claim_missed_tick.name AND t.last_tick < job_queue_claim_missed_tick.tick
  RETURNING true INTO claimed;
  RETURN COALESCE(claimed, false);
END
$$;


--
-- Name: job_queue_claim_schedule_tick(text, timestamp with time zone, text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_claim_schedule_tick(name text, tick timestamp with time zone, instance text DEFAULT NULL::text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
  claimed boolean;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('job_queue_schedule:' || job_queue_claim_schedule_tick.name, 0));
  INSERT INTO job_queue_schedule_ticks AS t (name, last_tick, fired_by, fired_at)
  VALUES (job_queue_claim_schedule_tick.name, job_queue_claim_schedule_tick.tick, job_queue_claim_schedule_tick.instance, now())
  ON CONFLICT (name) DO UPDATE
     SET last_tick = EXCLUDED.last_tick, fired_by = EXCLUDED.fired_by, fired_at = EXCLUDED.fired_at
   WHERE t.last_tick < EXCLUDED.last_tick
  RETURNING true INTO claimed;
  RETURN COALESCE(claimed, false);
END
$$;


--
-- Name: job_queue_cleanup_batch(timestamp with time zone, integer); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_cleanup_batch(older_than timestamp with time zone, batch_size integer DEFAULT 1000) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
DECLARE
  n integer;
BEGIN
  WITH victims AS (
    SELECT q.id FROM job_queue q
     WHERE q.status IN ('succeeded', 'failed', 'cancelled') AND q.completed_at < older_than
     ORDER BY q.completed_at
     LIMIT LEAST(GREATEST(COALESCE(batch_size, 1000), 1), 50000)
       FOR UPDATE SKIP LOCKED
  ), gone AS (
    DELETE FROM job_queue j USING victims v WHERE j.id = v.id RETURNING j.id
  ), history AS (
    -- the attempts go with their job (found by job_queue_attempts_job_idx; there is no foreign key)
    DELETE FROM job_queue_attempts a WHERE a.job_id = ANY (ARRAY(SELECT g.id FROM gone g))
  )
  SELECT count(*) INTO n FROM gone;
  RETURN n;
END
$$;


--
-- Name: job_queue_complete(text, jsonb); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_complete(runner_id text, results jsonb) RETURNS TABLE(id uuid, status text, attempts integer, last_error text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
  follow_up_ids uuid[];
  follow_up_type text;
BEGIN
  -- the shared held-flag lock of each follow-up's task type (sorted) before any job row is touched:
  -- a flip of that type (held_flag_sync, which locks the type's processing rows) and this finish
  -- then wait for each other in one order only
  IF job_queue_complete.results @> '[{"succeeded": true, "followUp": true}]' THEN
    follow_up_ids := ARRAY(
      SELECT (x ->> 'id')::uuid
        FROM jsonb_array_elements(job_queue_complete.results) x
       WHERE x @> '{"succeeded": true, "followUp": true}');
    FOR follow_up_type IN
      SELECT DISTINCT j.payload -> 'then' ->> 'taskType' FROM job_queue j
       WHERE j.id = ANY (follow_up_ids) AND jsonb_typeof(j.payload -> 'then' -> 'taskType') = 'string'
       ORDER BY 1
    LOOP
      PERFORM pg_advisory_xact_lock_shared(held_flag_key(follow_up_type));
    END LOOP;
  END IF;

  RETURN QUERY
  WITH r AS MATERIALIZED (
    SELECT x.id, COALESCE(x.succeeded, false) AS succeeded, x.output, x.error,
           x."retryInMs" AS retry_in_ms, x."durationMs" AS duration_ms,
           COALESCE(x.snooze, false) AND NOT COALESCE(x.succeeded, false) AS snooze
      FROM jsonb_to_recordset(job_queue_complete.results)
           AS x(id uuid, succeeded boolean, output jsonb, error text, "retryInMs" bigint, "durationMs" integer, snooze boolean)
  ), upd AS (
    UPDATE job_queue j
       SET status       = CASE WHEN r.succeeded THEN 'succeeded'
                               WHEN r.snooze THEN 'pending'
                               WHEN r.retry_in_ms IS NOT NULL AND j.attempts < j.max_attempts THEN 'pending'
                               ELSE 'failed' END,
           attempts     = CASE WHEN r.snooze THEN GREATEST(j.attempts - 1, 0) ELSE j.attempts END,
           output       = CASE WHEN NOT r.succeeded THEN j.output
                               WHEN r.output IS NULL OR pg_column_size(r.output) < 256 THEN r.output
                               WHEN jobqueue.payload_limit_problem(r.output) IS NULL THEN r.output
                               ELSE jsonb_build_object('discarded', 'the output was ' || jobqueue.payload_limit_problem(r.output)) END,
           last_error   = CASE WHEN r.succeeded THEN left(r.error, 4000) ELSE left(COALESCE(r.error, 'failed'), 4000) END,
           run_at       = CASE WHEN r.snooze THEN now() + COALESCE(r.retry_in_ms, 0) * interval '1 millisecond'
                               WHEN NOT r.succeeded AND r.retry_in_ms IS NOT NULL AND j.attempts < j.max_attempts
                               THEN now() + r.retry_in_ms * interval '1 millisecond'
                               ELSE j.run_at END,
           completed_at = CASE WHEN r.snooze THEN NULL
                               WHEN r.succeeded OR r.retry_in_ms IS NULL OR j.attempts >= j.max_attempts THEN now() END,
           locked_by    = NULL,
           locked_until = NULL,
           updated_at   = now()
      FROM r
     WHERE j.id = r.id
       -- rows by primary key (never a scan of every processing job); "IS TRUE" keeps the status
       -- test a filter so that the planner does not pick the status index instead
       AND j.id = ANY (ARRAY(SELECT r2.id FROM r r2))
       AND j.locked_by = job_queue_complete.runner_id
       AND (j.status = 'processing') IS TRUE
    RETURNING j.id, j.status, j.attempts, j.last_error, j.started_at
  ), hist AS (
    INSERT INTO job_queue_attempts (job_id, attempt, runner_id, started_at, outcome, error, duration_ms)
    SELECT u.id, CASE WHEN r.snooze THEN u.attempts + 1 ELSE u.attempts END, job_queue_complete.runner_id,
           COALESCE(u.started_at, now()),
           CASE WHEN r.snooze THEN 'snoozed'
                WHEN u.status = 'succeeded' THEN 'succeeded' WHEN u.status = 'pending' THEN 'retry' ELSE 'failed' END,
           u.last_error,
           COALESCE(r.duration_ms,
                    GREATEST(0, (extract(epoch FROM now() - COALESCE(u.started_at, now())) * 1000)::integer))
      FROM upd u JOIN r ON r.id = u.id
  )
  SELECT u.id, u.status, u.attempts, u.last_error FROM upd u;

  IF follow_up_ids IS NOT NULL THEN
    PERFORM jobqueue.job_queue_enqueue_follow_ups(follow_up_ids);
  END IF;
END
$$;


--
-- Name: job_queue_database_health(); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_database_health() RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
  WITH sessions AS (
    SELECT a.xact_start, a.backend_xmin, a.backend_xid
      FROM pg_catalog.pg_stat_activity a
     WHERE a.pid <> pg_catalog.pg_backend_pid()
       AND a.backend_type IS DISTINCT FROM 'autovacuum worker'  -- NULL for sessions whose details are hidden
       AND (a.datname = pg_catalog.current_database() OR a.backend_type = 'walsender')
       AND (a.backend_xmin IS NOT NULL OR a.backend_xid IS NOT NULL)
  ), prepared AS (
    SELECT p.prepared, p.transaction
      FROM pg_catalog.pg_prepared_xacts p
     WHERE p.database = pg_catalog.current_database()
  ), slots AS (
    SELECT s.xmin, s.catalog_xmin FROM pg_catalog.pg_replication_slots s
  )
  SELECT jsonb_build_object(
    'oldestTransactionAgeSeconds', COALESCE(GREATEST(
        (SELECT max(extract(epoch FROM now() - s.xact_start)) FROM sessions s),
        (SELECT max(extract(epoch FROM now() - p.prepared)) FROM prepared p)), 0)::double precision,
    'xminHorizonAge', COALESCE(GREATEST(
        (SELECT max(GREATEST(pg_catalog.age(s.backend_xmin), pg_catalog.age(s.backend_xid))) FROM sessions s),
        (SELECT max(pg_catalog.age(p.transaction)) FROM prepared p),
        (SELECT max(GREATEST(pg_catalog.age(s.xmin), pg_catalog.age(s.catalog_xmin))) FROM slots s)), 0),
    'deadRows', (SELECT COALESCE(jsonb_object_agg(t.relname, t.n_dead_tup), '{}'::jsonb)
                   FROM pg_catalog.pg_stat_user_tables t
                  WHERE t.schemaname = 'jobqueue' AND t.relname IN ('job_queue', 'job_queue_attempts', 'job_queue_status_counts')));
$$;


--
-- Name: job_queue_enqueue(text, jsonb, timestamp with time zone, integer, text, text, text, integer, text, text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_enqueue(task_type text, payload jsonb DEFAULT '{}'::jsonb, run_at timestamp with time zone DEFAULT now(), max_attempts integer DEFAULT 3, dedupe_key text DEFAULT NULL::text, triggered_by text DEFAULT NULL::text, request_id text DEFAULT NULL::text, priority integer DEFAULT 0, partition_key text DEFAULT NULL::text, trace_parent text DEFAULT NULL::text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
  new_id uuid;
  problem text;
BEGIN
  IF job_queue_enqueue.task_type IS NULL OR length(job_queue_enqueue.task_type) NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'task_type must be 1 to 100 characters' USING ERRCODE = '22023', COLUMN = 'taskType';
  END IF;
  IF job_queue_enqueue.payload IS NOT NULL AND jsonb_typeof(job_queue_enqueue.payload) <> 'object' THEN
    RAISE EXCEPTION 'payload must be a JSON object' USING ERRCODE = '22023', COLUMN = 'payload';
  END IF;
  problem := jobqueue.payload_limit_problem(job_queue_enqueue.payload);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'payload is %', problem USING ERRCODE = '22023', COLUMN = 'payload';
  END IF;
  IF COALESCE(job_queue_enqueue.max_attempts, 3) NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'max_attempts must be between 1 and 100' USING ERRCODE = '22023', COLUMN = 'maxAttempts';
  END IF;
  IF COALESCE(job_queue_enqueue.priority, 0) NOT BETWEEN -100 AND 100 THEN
    RAISE EXCEPTION 'priority must be between -100 and 100' USING ERRCODE = '22023', COLUMN = 'priority';
  END IF;

  -- the type's shared lock (a simple expression: no query), then the limits read by the insert itself
  PERFORM pg_advisory_xact_lock_shared(held_flag_key(job_queue_enqueue.task_type));
  LOOP
    INSERT INTO job_queue AS j (task_type, payload, run_at, max_attempts, dedupe_key, triggered_by, request_id,
                                priority, partition_key, trace_parent, held)
    VALUES (job_queue_enqueue.task_type,
            COALESCE(job_queue_enqueue.payload, '{}'::jsonb),
            COALESCE(job_queue_enqueue.run_at, now()),
            COALESCE(job_queue_enqueue.max_attempts, 3),
            job_queue_enqueue.dedupe_key,
            job_queue_enqueue.triggered_by,
            job_queue_enqueue.request_id,
            COALESCE(job_queue_enqueue.priority, 0),
            job_queue_enqueue.partition_key,
            job_queue_enqueue.trace_parent,
            EXISTS (SELECT 1 FROM job_queue_task_limits l WHERE l.task_type = job_queue_enqueue.task_type))
    ON CONFLICT (task_type, dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'processing')
    DO NOTHING
    RETURNING j.id INTO new_id;
    IF new_id IS NOT NULL THEN
      RETURN new_id;
    END IF;
    -- a live duplicate exists: return it (loop if it finished in between)
    SELECT j.id INTO new_id FROM job_queue j
     WHERE j.task_type = job_queue_enqueue.task_type
       AND j.dedupe_key = job_queue_enqueue.dedupe_key
       AND j.status IN ('pending', 'processing');
    IF new_id IS NOT NULL THEN
      RETURN new_id;
    END IF;
  END LOOP;
END
$$;


--
-- Name: job_queue_enqueue_follow_ups(uuid[]); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_enqueue_follow_ups(job_ids uuid[]) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
DECLARE
  n integer;
  limited text[] := ARRAY(SELECT l.task_type FROM job_queue_task_limits l);
BEGIN
  INSERT INTO job_queue AS q (task_type, payload, run_at, max_attempts, dedupe_key, triggered_by, request_id,
                              priority, partition_key, trace_parent, held)
  SELECT f.task_type, f.payload, now() + make_interval(secs => f.delay_seconds), f.max_attempts, f.dedupe_key,
         'follow-up:' || j.id, j.request_id, f.priority, f.partition_key, j.trace_parent, f.task_type = ANY (limited)
    FROM job_queue j
   CROSS JOIN LATERAL (
     -- every value guarded by its JSON type first (CASE evaluates in order), so that no cast can fail
     SELECT CASE WHEN jsonb_typeof(t -> 'taskType') = 'string' THEN t ->> 'taskType' END AS task_type,
            CASE WHEN t -> 'payload' IS NULL OR jsonb_typeof(t -> 'payload') = 'null' THEN '{}'::jsonb
                 WHEN jsonb_typeof(t -> 'payload') = 'object' THEN t -> 'payload' END AS payload,
            CASE WHEN t -> 'delaySeconds' IS NULL OR jsonb_typeof(t -> 'delaySeconds') = 'null' THEN 0
                 WHEN jsonb_typeof(t -> 'delaySeconds') = 'number'
                 THEN LEAST(GREATEST((t ->> 'delaySeconds')::numeric, 0), 31622400)::double precision END AS delay_seconds,
            CASE WHEN t -> 'maxAttempts' IS NULL OR jsonb_typeof(t -> 'maxAttempts') = 'null' THEN 3
                 WHEN jsonb_typeof(t -> 'maxAttempts') = 'number'
                 THEN CASE WHEN (t ->> 'maxAttempts')::numeric BETWEEN 1 AND 100
                           THEN (t ->> 'maxAttempts')::numeric::integer END END AS max_attempts,
            CASE WHEN t -> 'priority' IS NULL OR jsonb_typeof(t -> 'priority') = 'null' THEN 0
                 WHEN jsonb_typeof(t -> 'priority') = 'number'
                 THEN CASE WHEN (t ->> 'priority')::numeric BETWEEN -100 AND 100
                            AND (t ->> 'priority')::numeric = trunc((t ->> 'priority')::numeric)
                           THEN (t ->> 'priority')::numeric::integer END END AS priority,
            CASE WHEN jsonb_typeof(t -> 'dedupeKey') = 'string' THEN t ->> 'dedupeKey' END AS dedupe_key,
            t -> 'dedupeKey' IS NULL OR jsonb_typeof(t -> 'dedupeKey') = 'null'
              OR (jsonb_typeof(t -> 'dedupeKey') = 'string' AND length(t ->> 'dedupeKey') BETWEEN 1 AND 200) AS dedupe_ok,
            CASE WHEN jsonb_typeof(t -> 'partitionKey') = 'string' THEN t ->> 'partitionKey' END AS partition_key,
            t -> 'partitionKey' IS NULL OR jsonb_typeof(t -> 'partitionKey') = 'null'
              OR (jsonb_typeof(t -> 'partitionKey') = 'string' AND length(t ->> 'partitionKey') BETWEEN 1 AND 200) AS partition_ok
       FROM (SELECT j.payload -> 'then' AS t) s
      WHERE jsonb_typeof(s.t) = 'object') f
   WHERE j.id = ANY (job_ids)
     AND j.status = 'succeeded' AND j.completed_at = now()
     AND length(f.task_type) BETWEEN 1 AND 100
     AND f.payload IS NOT NULL AND f.delay_seconds IS NOT NULL AND f.max_attempts IS NOT NULL AND f.dedupe_ok
     AND f.priority IS NOT NULL AND f.partition_ok
  ON CONFLICT (task_type, dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'processing')
  DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;


--
-- Name: job_queue_enqueue_many(text, jsonb[], timestamp with time zone, integer, text, integer, text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_enqueue_many(task_type text, payloads jsonb[], run_at timestamp with time zone DEFAULT now(), max_attempts integer DEFAULT 3, triggered_by text DEFAULT NULL::text, priority integer DEFAULT 0, trace_parent text DEFAULT NULL::text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
  n integer;
  bad record;
BEGIN
  IF job_queue_enqueue_many.task_type IS NULL OR length(job_queue_enqueue_many.task_type) NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'task_type must be 1 to 100 characters' USING ERRCODE = '22023', COLUMN = 'taskType';
  END IF;
  IF COALESCE(job_queue_enqueue_many.priority, 0) NOT BETWEEN -100 AND 100 THEN
    RAISE EXCEPTION 'priority must be between -100 and 100' USING ERRCODE = '22023', COLUMN = 'priority';
  END IF;
  SELECT i, COALESCE(jobqueue.payload_limit_problem(p), 'not a JSON object') AS problem INTO bad
    FROM unnest(job_queue_enqueue_many.payloads) WITH ORDINALITY AS x(p, i)
   WHERE p IS NOT NULL AND (jsonb_typeof(p) <> 'object' OR jobqueue.payload_limit_problem(p) IS NOT NULL)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'payload % is %', bad.i, bad.problem USING ERRCODE = '22023', COLUMN = 'payloads';
  END IF;
  -- one look-up of the limits for the whole batch, after the type's shared lock
  PERFORM pg_advisory_xact_lock_shared(held_flag_key(job_queue_enqueue_many.task_type));
  INSERT INTO job_queue (task_type, payload, run_at, max_attempts, triggered_by, priority, trace_parent, held)
  SELECT job_queue_enqueue_many.task_type, COALESCE(p, '{}'::jsonb),
         COALESCE(job_queue_enqueue_many.run_at, now()), COALESCE(job_queue_enqueue_many.max_attempts, 3),
         job_queue_enqueue_many.triggered_by, COALESCE(job_queue_enqueue_many.priority, 0), job_queue_enqueue_many.trace_parent,
         EXISTS (SELECT 1 FROM job_queue_task_limits l WHERE l.task_type = job_queue_enqueue_many.task_type)
    FROM unnest(job_queue_enqueue_many.payloads) AS p;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;


--
-- Name: job_queue_enqueue_or_join(text, text, jsonb, timestamp with time zone, integer, text, text, integer, text, text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_enqueue_or_join(task_type text, join_key text, payload jsonb DEFAULT '{}'::jsonb, run_at timestamp with time zone DEFAULT now(), max_attempts integer DEFAULT 3, triggered_by text DEFAULT NULL::text, request_id text DEFAULT NULL::text, priority integer DEFAULT 0, partition_key text DEFAULT NULL::text, trace_parent text DEFAULT NULL::text) RETURNS TABLE(id uuid, joined boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
  last_id uuid;
  new_id  uuid;
BEGIN
  IF job_queue_enqueue_or_join.join_key IS NULL OR length(job_queue_enqueue_or_join.join_key) NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION 'join_key must be 1 to 200 characters' USING ERRCODE = '22023';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('jobqueue.join:' || job_queue_enqueue_or_join.task_type || ':'
                                         || job_queue_enqueue_or_join.join_key));

  SELECT k.job_id INTO last_id
    FROM job_queue_join_keys k
   WHERE k.task_type = job_queue_enqueue_or_join.task_type AND k.join_key = job_queue_enqueue_or_join.join_key;
  IF last_id IS NOT NULL THEN
    -- the row lock waits for a claim of that very job in progress, which then shows it processing;
    -- held until commit, it keeps a runner from claiming the job while the caller is told it joined
    PERFORM 1 FROM job_queue q WHERE q.id = last_id AND q.status = 'pending' FOR UPDATE;
    IF FOUND THEN
      RETURN QUERY SELECT last_id, true;
      RETURN;
    END IF;
  END IF;

  new_id := job_queue_enqueue(job_queue_enqueue_or_join.task_type, job_queue_enqueue_or_join.payload,
                              job_queue_enqueue_or_join.run_at, job_queue_enqueue_or_join.max_attempts, NULL,
                              job_queue_enqueue_or_join.triggered_by, job_queue_enqueue_or_join.request_id,
                              job_queue_enqueue_or_join.priority, job_queue_enqueue_or_join.partition_key,
                              job_queue_enqueue_or_join.trace_parent);
  INSERT INTO job_queue_join_keys AS k (task_type, join_key, job_id)
  VALUES (job_queue_enqueue_or_join.task_type, job_queue_enqueue_or_join.join_key, new_id)
  ON CONFLICT (task_type, join_key) DO UPDATE SET job_id = EXCLUDED.job_id, updated_at = now();
  RETURN QUERY SELECT new_id, false;
END
$$;


--
-- Name: job_queue_explain_wait(uuid, interval); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_explain_wait(id uuid, stale_after interval DEFAULT '00:01:00'::interval) RETURNS TABLE(reason text, message text, at timestamp with time zone, count bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
  j        job_queue%ROWTYPE;
  s        job_queue_settings%ROWTYPE;
  lim      job_queue_task_limits%ROWTYPE;
  limited  boolean;
  part     text;
  n        bigint;
  first_at timestamptz;
  last_at  timestamptz;
BEGIN
  SELECT * INTO j FROM job_queue q WHERE q.id = job_queue_explain_wait.id;
  IF NOT FOUND OR j.status <> 'pending' THEN
    RETURN;
  END IF;

  IF j.run_at > now() THEN
    IF j.attempts > 0 AND j.last_error IS NOT NULL AND j.last_error NOT LIKE 'snoozed:%' THEN
      RETURN QUERY SELECT 'backoff', format('backoff after attempt %s of %s: due at %s', j.attempts, j.max_attempts, to_json(j.run_at) #>> '{}'),
                          j.run_at, j.attempts::bigint;
    ELSE
      RETURN QUERY SELECT 'not_due', format('not due until %s', to_json(j.run_at) #>> '{}'), j.run_at, NULL::bigint;
    END IF;
    RETURN;
  END IF;

  SELECT * INTO s FROM job_queue_settings x WHERE x.id;
  IF FOUND AND NOT s.processing_enabled THEN
    RETURN QUERY SELECT 'processing_paused',
                        format('processing is paused%s since %s', COALESCE(' (' || s.paused_reason || ')', ''), to_json(s.updated_at) #>> '{}'),
                        s.updated_at, NULL::bigint;
    RETURN;
  END IF;

  SELECT * INTO lim FROM job_queue_task_limits l WHERE l.task_type = j.task_type;
  limited := FOUND;
  IF limited AND lim.paused_until > now() THEN
    RETURN QUERY SELECT 'task_type_paused',
                        format('task type %s is paused until %s%s', j.task_type, to_json(lim.paused_until) #>> '{}',
                               COALESCE(' (' || lim.paused_reason || ')', '')),
                        lim.paused_until, NULL::bigint;
    RETURN;
  END IF;

  IF limited <> j.held THEN
    RETURN QUERY SELECT 'held_flag_stale',
                        format('its held flag (%s) does not match the limits of %s: it waits for the held-flag repair', j.held, j.task_type),
                        NULL::timestamptz, NULL::bigint;
    RETURN;
  END IF;

  IF limited AND lim.max_concurrency IS NOT NULL THEN
    n := (SELECT count(*) FROM job_queue q WHERE q.status = 'processing' AND q.task_type = j.task_type);
    IF n >= lim.max_concurrency THEN
      RETURN QUERY SELECT 'concurrency_limit',
                          format('concurrency limit %s of %s reached (%s running)', lim.max_concurrency, j.task_type, n),
                          NULL::timestamptz, n;
      RETURN;
    END IF;
  END IF;

  IF limited AND lim.partition_by IS NOT NULL THEN
    part := COALESCE(j.partition_key, j.payload ->> lim.partition_by);
    n := (SELECT count(*) FROM job_queue q
           WHERE q.status = 'processing' AND q.task_type = j.task_type
             AND COALESCE(q.partition_key, q.payload ->> lim.partition_by) IS NOT DISTINCT FROM part);
    IF n >= lim.max_concurrency_per_partition THEN
      RETURN QUERY SELECT 'partition_limit',
                          format('concurrency limit %s of %s partition %s reached (%s running)', lim.max_concurrency_per_partition,
                                 j.task_type, COALESCE(quote_literal(part), '(none)'), n),
                          NULL::timestamptz, n;
      RETURN;
    END IF;
  END IF;

  IF limited AND lim.rate_limit IS NOT NULL THEN
    SELECT count(*), min(t.started_at) INTO n, first_at FROM job_queue_task_starts t
     WHERE t.task_type = j.task_type AND t.started_at > now() - lim.rate_interval_ms * interval '1 millisecond';
    IF n >= lim.rate_limit THEN
      first_at := first_at + lim.rate_interval_ms * interval '1 millisecond';
      RETURN QUERY SELECT 'rate_limit',
                          format('rate limit %s per %s s of %s reached until %s', lim.rate_limit, trim_scale(lim.rate_interval_ms / 1000.0),
                                 j.task_type, to_json(first_at) #>> '{}'),
                          first_at, n;
      RETURN;
    END IF;
  END IF;

  -- the due jobs the claim takes before this one: its type's range of the held index, or the due index
  IF j.held THEN
    n := (SELECT count(*) FROM (
            SELECT 1 FROM job_queue q
             WHERE q.status = 'pending' AND q.held AND q.task_type = j.task_type AND q.priority > j.priority AND q.run_at <= now()
             LIMIT 1000) x);
  ELSE
    n := (SELECT count(*) FROM (
            SELECT 1 FROM job_queue q
             WHERE q.status = 'pending' AND NOT q.held AND q.priority > j.priority AND q.run_at <= now()
             LIMIT 1000) x);
  END IF;
  IF n > 0 THEN
    RETURN QUERY SELECT 'lower_priority',
                        format('lower priority (%s) than %s%s due jobs%s', j.priority, n, CASE WHEN n >= 1000 THEN '+' ELSE '' END,
                               CASE WHEN j.held THEN ' of ' || j.task_type ELSE '' END),
                        NULL::timestamptz, n;
    RETURN;
  END IF;
  IF j.held THEN
    n := (SELECT count(*) FROM (
            SELECT 1 FROM job_queue q
             WHERE q.status = 'pending' AND q.held AND q.task_type = j.task_type AND q.priority = j.priority
               AND (q.run_at, q.id) < (j.run_at, j.id)
             LIMIT 1000) x);
  ELSE
    n := (SELECT count(*) FROM (
            SELECT 1 FROM job_queue q
             WHERE q.status = 'pending' AND NOT q.held AND q.priority = j.priority
               AND (q.run_at, q.id) < (j.run_at, j.id)
             LIMIT 1000) x);
  END IF;
  IF n > 0 THEN
    RETURN QUERY SELECT 'queued_behind',
                        format('behind %s%s due jobs of the same priority%s', n, CASE WHEN n >= 1000 THEN '+' ELSE '' END,
                               CASE WHEN j.held THEN ' of ' || j.task_type ELSE '' END),
                        NULL::timestamptz, n;
    RETURN;
  END IF;

  -- first in line: is anyone claiming? the newest start among processing jobs and attempt records
  last_at := GREATEST((SELECT max(q.started_at) FROM job_queue q WHERE q.status = 'processing'),
                      (SELECT a.started_at FROM job_queue_attempts a ORDER BY a.id DESC LIMIT 1));
  IF last_at IS NULL OR last_at < now() - job_queue_explain_wait.stale_after THEN
    RETURN QUERY SELECT 'no_runner',
                        CASE WHEN last_at IS NULL THEN 'due and first in line, but no runner has claimed a job yet'
                             ELSE format('due and first in line, but no runner has claimed a job in the last %s s (last start %s)',
                                         floor(extract(epoch FROM now() - last_at))::bigint, to_json(last_at) #>> '{}') END,
                        last_at, NULL::bigint;
    RETURN;
  END IF;
  RETURN QUERY SELECT 'next_in_line',
                      format('due and first in line: the next claim takes it (last start %s s ago)',
                             floor(extract(epoch FROM now() - last_at))::bigint),
                      last_at, NULL::bigint;
END
$$;


--
-- Name: job_queue_extend_leases(text, uuid[], interval); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_extend_leases(runner_id text, ids uuid[], lease interval) RETURNS SETOF uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
#variable_conflict use_column
BEGIN
  IF job_queue_extend_leases.lease IS NULL
     OR job_queue_extend_leases.lease NOT BETWEEN interval '1 second' AND interval '1 day' THEN
    RAISE EXCEPTION 'lease must be between 1 second and 1 day' USING ERRCODE = '22023', COLUMN = 'lease';
  END IF;
  IF job_queue_extend_leases.runner_id IS NULL OR cardinality(job_queue_extend_leases.ids) IS NULL THEN
    RETURN;
  END IF;
  -- rows by primary key; "IS TRUE" keeps the status test a filter (as in job_queue_complete)
  RETURN QUERY
  UPDATE job_queue j
     SET locked_until = now() + job_queue_extend_leases.lease
   WHERE j.id = ANY (job_queue_extend_leases.ids)
     AND j.locked_by = job_queue_extend_leases.runner_id
     AND (j.status = 'processing') IS TRUE
  RETURNING j.id;
END
$$;


--
-- Name: job_queue_get(uuid); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_get(id uuid) RETURNS SETOF jobqueue.job_queue
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
  SELECT * FROM job_queue q WHERE q.id = $1;
$_$;


--
-- Name: job_queue_attempts; Type: TABLE; Schema: jobqueue; Owner: -
--

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


--
-- Name: job_queue_get_attempts(uuid); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_get_attempts(job_id uuid) RETURNS SETOF jobqueue.job_queue_attempts
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
  SELECT * FROM job_queue_attempts a WHERE a.job_id = $1 ORDER BY a.id;
$_$;


--
-- Name: job_queue_schedule_ticks; Type: TABLE; Schema: jobqueue; Owner: -
--

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


--
-- Name: job_queue_get_schedule_ticks(); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_get_schedule_ticks() RETURNS SETOF jobqueue.job_queue_schedule_ticks
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
  SELECT * FROM job_queue_schedule_ticks ORDER BY name;
$$;


--
-- Name: job_queue_settings; Type: TABLE; Schema: jobqueue; Owner: -
--

CREATE TABLE jobqueue.job_queue_settings (
    id boolean DEFAULT true NOT NULL,
    processing_enabled boolean DEFAULT true NOT NULL,
    paused_reason text,
    updated_by text,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT job_queue_settings_id_check CHECK (id)
);


--
-- Name: job_queue_get_settings(); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_get_settings() RETURNS SETOF jobqueue.job_queue_settings
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
  SELECT * FROM job_queue_settings WHERE id;
$$;


--
-- Name: job_queue_get_task_limits(); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_get_task_limits() RETURNS TABLE(task_type text, max_concurrency integer, partition_by text, max_concurrency_per_partition integer, rate_limit integer, rate_interval_ms bigint, paused_until timestamp with time zone, paused_reason text, source text, updated_by text, updated_at timestamp with time zone, running bigint, starts_in_window bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
  SELECT l.task_type, l.max_concurrency, l.partition_by, l.max_concurrency_per_partition, l.rate_limit,
         l.rate_interval_ms, CASE WHEN l.paused_until > now() THEN l.paused_until END,
         CASE WHEN l.paused_until > now() THEN l.paused_reason END, l.source, l.updated_by, l.updated_at,
         (SELECT count(*) FROM job_queue q WHERE q.status = 'processing' AND q.task_type = l.task_type),
         (SELECT count(*) FROM job_queue_task_starts s
           WHERE s.task_type = l.task_type AND s.started_at > now() - l.rate_interval_ms * interval '1 millisecond')
    FROM job_queue_task_limits l
   ORDER BY l.task_type;
$$;


--
-- Name: job_queue_health(integer); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_health(recent_limit integer DEFAULT 10) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
  SELECT jsonb_build_object(
    'counts', (SELECT jsonb_build_object(
                 'pending',    COALESCE(sum(c.pending), 0),
                 'processing', COALESCE(sum(c.processing), 0),
                 'succeeded',  COALESCE(sum(c.succeeded), 0),
                 'failed',     COALESCE(sum(c.failed), 0),
                 'cancelled',  COALESCE(sum(c.cancelled), 0))
               FROM job_queue_status_counts c),
    'processingEnabled', (SELECT s.processing_enabled FROM job_queue_settings s WHERE s.id),
    'pausedReason', (SELECT s.paused_reason FROM job_queue_settings s WHERE s.id),
    'duePending', g.due_pending,
    'oldestPendingAgeSeconds', g.oldest_pending_age_seconds,
    'stuckJobs', (SELECT COALESCE(jsonb_agg(jsonb_build_object(
                            'id', q.id, 'taskType', q.task_type, 'lockedBy', q.locked_by,
                            'lockedUntil', q.locked_until, 'attempts', q.attempts)), '[]'::jsonb)
                    FROM (SELECT * FROM job_queue WHERE status = 'processing' AND locked_until < now()
                          ORDER BY locked_until LIMIT 50) q),
    'recentFailures', (SELECT COALESCE(jsonb_agg(jsonb_build_object(
                                 'id', f.id, 'taskType', f.task_type, 'attempts', f.attempts,
                                 'lastError', f.last_error, 'completedAt', f.completed_at)
                                 ORDER BY f.completed_at DESC NULLS LAST), '[]'::jsonb)
                         FROM (SELECT * FROM job_queue WHERE status = 'failed' ORDER BY id DESC LIMIT $1) f),
    'recentRuns', (SELECT COALESCE(jsonb_agg(jsonb_build_object(
                             'jobId', a.job_id, 'attempt', a.attempt, 'runnerId', a.runner_id,
                             'outcome', a.outcome, 'finishedAt', a.finished_at, 'durationMs', a.duration_ms,
                             'error', a.error)), '[]'::jsonb)
                     FROM (SELECT * FROM job_queue_attempts ORDER BY id DESC LIMIT $1) a),
    'checkedAt', now())
  FROM job_queue_pending_gauges() g;
$_$;


--
-- Name: job_queue_leader_elect(text, text, interval); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_leader_elect(name text, leader_id text, ttl interval) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
  WITH elected AS (
    INSERT INTO job_queue_leader AS l (name, leader_id, elected_at, expires_at)
    VALUES ($1, $2, now(), now() + LEAST(GREATEST(COALESCE($3, interval '10 seconds'), interval '1 second'), interval '10 minutes'))
    ON CONFLICT (name) DO UPDATE
       SET leader_id  = excluded.leader_id,
           elected_at = CASE WHEN l.leader_id = excluded.leader_id THEN l.elected_at ELSE now() END,
           expires_at = excluded.expires_at
     WHERE l.leader_id = excluded.leader_id OR l.expires_at < now()
    RETURNING true
  )
  SELECT COALESCE((SELECT true FROM elected), false);
$_$;


--
-- Name: job_queue_leader_get(text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_leader_get(name text) RETURNS TABLE(leader_id text, elected_at timestamp with time zone, expires_at timestamp with time zone)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
  SELECT l.leader_id, l.elected_at, l.expires_at FROM job_queue_leader l WHERE l.name = $1 AND l.expires_at >= now();
$_$;


--
-- Name: job_queue_leader_resign(text, text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_leader_resign(name text, leader_id text) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
  WITH gone AS (
    DELETE FROM job_queue_leader l WHERE l.name = $1 AND l.leader_id = $2 RETURNING 1
  )
  SELECT EXISTS (SELECT 1 FROM gone);
$_$;


--
-- Name: job_queue_list(text, text, integer, uuid, timestamp with time zone, timestamp with time zone, text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_list(status text DEFAULT NULL::text, task_type text DEFAULT NULL::text, "limit" integer DEFAULT 50, before_id uuid DEFAULT NULL::uuid, created_after timestamp with time zone DEFAULT NULL::timestamp with time zone, created_before timestamp with time zone DEFAULT NULL::timestamp with time zone, payload_text text DEFAULT NULL::text) RETURNS SETOF jobqueue.job_queue
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
DECLARE
  matching text := 'SELECT j.* FROM job_queue j WHERE true'
    || job_filter_clause($1 IS NOT NULL, $2 IS NOT NULL, $5 IS NOT NULL, $6 IS NOT NULL, $7 IS NOT NULL)
    || CASE WHEN $4 IS NOT NULL THEN ' AND j.id < $6' ELSE '' END;
  few boolean := false;
BEGIN
  -- Pending and processing jobs have an index each (due, lease) but not in id order. While they are
  -- few (the exact counters in job_queue_status_counts say so), read them all from that index and sort them: the
  -- planner, misled by statistics taken while a backlog was large, would otherwise walk the primary
  -- key backwards through every finished row (measured: 1.4 s at 1,000,000 rows instead of 0.1 ms).
  IF $1 IN ('pending', 'processing') THEN
    SELECT COALESCE(CASE WHEN $1 = 'pending' THEN sum(c.pending) ELSE sum(c.processing) END, 0) <= 10000
      INTO few FROM job_queue_status_counts c;
  END IF;
  RETURN QUERY EXECUTE
    CASE WHEN few THEN 'WITH m AS MATERIALIZED (' || matching || ') SELECT * FROM m ORDER BY m.id DESC LIMIT $7'
         ELSE matching || ' ORDER BY j.id DESC LIMIT $7' END
  USING $1, $2, $5, $6, like_pattern($7), $4, LEAST(GREATEST(COALESCE($3, 50), 1), 500);
END
$_$;


--
-- Name: job_queue_mark_failed(uuid, text, interval, text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_mark_failed(id uuid, error text, retry_in interval DEFAULT NULL::interval, runner_id text DEFAULT NULL::text) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
  SELECT EXISTS (
    SELECT 1 FROM job_queue_complete(
      COALESCE($4, (SELECT q.locked_by FROM job_queue q WHERE q.id = $1)),
      jsonb_build_array(jsonb_build_object(
        'id', $1, 'succeeded', false, 'error', $2,
        'retryInMs', (extract(epoch FROM $3) * 1000)::bigint))));
$_$;


--
-- Name: job_queue_mark_succeeded(uuid, jsonb, text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_mark_succeeded(id uuid, output jsonb DEFAULT NULL::jsonb, runner_id text DEFAULT NULL::text) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
  WITH q AS (SELECT j.locked_by, j.payload -> 'then' IS NOT NULL AS follow_up FROM job_queue j WHERE j.id = $1)
  SELECT EXISTS (
    SELECT 1 FROM job_queue_complete(
      COALESCE($3, (SELECT q.locked_by FROM q)),
      jsonb_build_array(jsonb_build_object('id', $1, 'succeeded', true, 'output', $2,
                                           'followUp', COALESCE((SELECT q.follow_up FROM q), false)))));
$_$;


--
-- Name: job_queue_task_limits; Type: TABLE; Schema: jobqueue; Owner: -
--

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


--
-- Name: job_queue_pause_task_type(text, timestamp with time zone, text, text, text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_pause_task_type(task_type text, until timestamp with time zone, reason text DEFAULT NULL::text, source text DEFAULT 'api'::text, updated_by text DEFAULT NULL::text) RETURNS SETOF jobqueue.job_queue_task_limits
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
  inserted boolean;
  deleted integer;
BEGIN
  INSERT INTO job_queue_task_limits AS l (task_type, paused_until, paused_reason, source, updated_by, updated_at)
  VALUES (job_queue_pause_task_type.task_type, job_queue_pause_task_type.until, left(job_queue_pause_task_type.reason, 500),
          job_queue_pause_task_type.source, job_queue_pause_task_type.updated_by, now())
  ON CONFLICT (task_type) DO UPDATE
     SET paused_until  = CASE WHEN EXCLUDED.source = 'handler' AND l.paused_until > EXCLUDED.paused_until
                              THEN l.paused_until ELSE EXCLUDED.paused_until END,
         paused_reason = CASE WHEN EXCLUDED.source = 'handler' AND l.paused_until > EXCLUDED.paused_until
                              THEN l.paused_reason ELSE EXCLUDED.paused_reason END,
         source        = CASE WHEN l.source = 'handler' OR EXCLUDED.source <> 'handler' THEN EXCLUDED.source ELSE l.source END,
         updated_by    = EXCLUDED.updated_by,
         updated_at    = now()
  RETURNING (l.xmax = 0) INTO inserted;
  DELETE FROM job_queue_task_limits l
   WHERE l.task_type = job_queue_pause_task_type.task_type AND l.max_concurrency IS NULL AND l.partition_by IS NULL
     AND l.rate_limit IS NULL AND (l.paused_until IS NULL OR l.paused_until <= now());
  GET DIAGNOSTICS deleted = ROW_COUNT;
  IF inserted = (deleted = 0) THEN
    PERFORM held_flag_sync(job_queue_pause_task_type.task_type);
  END IF;
  RETURN QUERY SELECT * FROM job_queue_task_limits l WHERE l.task_type = job_queue_pause_task_type.task_type;
END
$$;


--
-- Name: job_queue_pending_gauges(); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_pending_gauges(OUT due_pending bigint, OUT oldest_pending_age_seconds double precision) RETURNS record
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
  SELECT GREATEST((SELECT COALESCE(sum(c.pending), 0) FROM job_queue_status_counts c)
                  - (SELECT count(*) FROM job_queue q WHERE q.status = 'pending' AND q.run_at > now()), 0)::bigint,
         COALESCE(extract(epoch FROM now() - (SELECT min(q.run_at) FROM job_queue q WHERE q.status = 'pending' AND q.run_at <= now())), 0)::double precision;
$$;


--
-- Name: job_queue_repair_held(); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_repair_held() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
DECLARE
  limited text[] := ARRAY(SELECT l.task_type FROM job_queue_task_limits l);
  stale text[];
  level integer;
  t text;
  total integer := 0;
BEGIN
  -- held, on a type without limits: the types of the held range, one descent each
  stale := ARRAY(
    WITH RECURSIVE types AS (
      (SELECT q.task_type FROM job_queue q WHERE q.status = 'pending' AND q.held ORDER BY q.task_type LIMIT 1)
      UNION ALL
      SELECT (SELECT q.task_type FROM job_queue q
               WHERE q.status = 'pending' AND q.held AND q.task_type > types.task_type
               ORDER BY q.task_type LIMIT 1)
        FROM types
       WHERE types.task_type IS NOT NULL)
    SELECT types.task_type FROM types WHERE types.task_type IS NOT NULL AND types.task_type <> ALL (limited));
  -- processing, flagged against the limits
  stale := stale || ARRAY(
    SELECT DISTINCT q.task_type FROM job_queue q
     WHERE q.status = 'processing' AND q.held <> (q.task_type = ANY (limited)));
  -- not held, on a limited type: the first 1,000 due jobs of each priority level (the walk's head)
  IF cardinality(limited) > 0 THEN
    level := (SELECT max(q.priority) FROM job_queue q WHERE q.status = 'pending' AND NOT q.held);
    WHILE level IS NOT NULL LOOP
      stale := stale || ARRAY(
        SELECT DISTINCT h.task_type FROM (
          SELECT q.task_type FROM job_queue q
           WHERE q.status = 'pending' AND NOT q.held AND q.priority = level AND q.run_at <= now()
           ORDER BY q.run_at, q.id
           LIMIT 1000) h
         WHERE h.task_type = ANY (limited));
      level := (SELECT max(q.priority) FROM job_queue q WHERE q.status = 'pending' AND NOT q.held AND q.priority < level);
    END LOOP;
  END IF;
  FOR t IN SELECT DISTINCT x.t FROM unnest(stale) AS x(t) ORDER BY 1 LOOP
    total := total + held_flag_sync(t);
  END LOOP;
  RETURN total;
END
$$;


--
-- Name: job_queue_rescue_expired(integer); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_rescue_expired(max_jobs integer DEFAULT 100) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
DECLARE
  n integer;
BEGIN
  WITH expired AS (
    SELECT j.id, j.task_type, j.attempts, j.max_attempts, j.locked_by, j.started_at
      FROM job_queue j
     WHERE j.status = 'processing' AND j.locked_until < now()
     ORDER BY j.locked_until
     LIMIT LEAST(GREATEST(COALESCE(max_jobs, 100), 1), 10000)
       FOR UPDATE SKIP LOCKED
  ), rescued AS (
    -- run_at stays: the job keeps its place in the queue
    UPDATE job_queue j
       SET status       = CASE WHEN e.attempts >= e.max_attempts THEN 'failed' ELSE 'pending' END,
           last_error   = 'lease expired: runner ' || COALESCE(e.locked_by, '?')
                          || ' did not finish attempt ' || e.attempts,
           locked_by    = NULL,
           locked_until = NULL,
           completed_at = CASE WHEN e.attempts >= e.max_attempts THEN now() END,
           updated_at   = now()
      FROM expired e
     WHERE j.id = e.id
    RETURNING j.id, j.status, j.last_error
  ), timed AS (
    SELECT e.*, r.status, r.last_error,
           GREATEST(0, (extract(epoch FROM now() - COALESCE(e.started_at, now())) * 1000)::integer) AS duration_ms
      FROM expired e JOIN rescued r ON r.id = e.id
  ), logged AS (
    INSERT INTO job_queue_attempts (job_id, attempt, runner_id, started_at, outcome, error, duration_ms)
    SELECT t.id, t.attempts, t.locked_by, COALESCE(t.started_at, now()), 'lease_expired',
           'lease expired before the attempt finished', t.duration_ms
      FROM timed t
    RETURNING 1
  ), final AS (
    INSERT INTO job_queue_final_failures (job_id, task_type, attempt, max_attempts, runner_id, error, duration_ms)
    SELECT t.id, t.task_type, t.attempts, t.max_attempts, t.locked_by, t.last_error, t.duration_ms
      FROM timed t
     WHERE t.status = 'failed'
  )
  SELECT count(*) INTO n FROM logged;
  RETURN n;
END
$$;


--
-- Name: job_queue_retry(uuid, text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_retry(id uuid, actor text DEFAULT NULL::text) RETURNS TABLE(outcome text, status text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
  current text;
  retried_type text;
BEGIN
  SELECT q.status, q.task_type INTO current, retried_type FROM job_queue q WHERE q.id = job_queue_retry.id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text; RETURN;
  END IF;
  IF current NOT IN ('failed', 'cancelled') THEN
    RETURN QUERY SELECT 'invalid_state'::text, current; RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock_shared(held_flag_key(retried_type));
  BEGIN
    UPDATE job_queue q
       SET status = 'pending', attempts = 0, run_at = now(), completed_at = NULL, output = NULL,
           triggered_by = COALESCE(job_queue_retry.actor, q.triggered_by), updated_at = now(),
           held = q.task_type IN (SELECT l.task_type FROM job_queue_task_limits l)
     WHERE q.id = job_queue_retry.id;
  EXCEPTION WHEN unique_violation THEN
    -- a live job with the same dedupe key exists: retrying would run the work twice
    RETURN QUERY SELECT 'invalid_state'::text, current; RETURN;
  END;
  RETURN QUERY SELECT 'ok'::text, 'pending'::text;
END
$$;


--
-- Name: job_queue_run_now(uuid); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_run_now(id uuid) RETURNS TABLE(outcome text, status text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
  current text;
BEGIN
  SELECT q.status INTO current FROM job_queue q WHERE q.id = job_queue_run_now.id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text; RETURN;
  END IF;
  IF current <> 'pending' THEN
    RETURN QUERY SELECT 'invalid_state'::text, current; RETURN;
  END IF;
  UPDATE job_queue q SET run_at = now(), updated_at = now() WHERE q.id = job_queue_run_now.id;
  RETURN QUERY SELECT 'ok'::text, 'pending'::text;
END
$$;


--
-- Name: job_queue_set_runner_idle(interval); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_set_runner_idle(idle_for interval) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
  UPDATE job_queue_wakeup
     SET idle_until = CASE WHEN $1 > interval '0' THEN now() + LEAST($1, interval '1 hour') END
   WHERE id;
$_$;


--
-- Name: job_queue_set_settings(boolean, text, text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_set_settings(processing_enabled boolean, paused_reason text DEFAULT NULL::text, updated_by text DEFAULT NULL::text) RETURNS SETOF jobqueue.job_queue_settings
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
  SELECT pg_advisory_xact_lock(processing_switch_key()) WHERE NOT $1;
  UPDATE job_queue_settings s
     SET processing_enabled = $1,
         paused_reason      = CASE WHEN $1 THEN NULL ELSE $2 END,
         updated_by         = $3,
         updated_at         = clock_timestamp()
   WHERE s.id
  RETURNING s.*;
$_$;


--
-- Name: job_queue_set_task_limits(text, integer, text, integer, integer, bigint, text, text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_set_task_limits(task_type text, max_concurrency integer, partition_by text, max_concurrency_per_partition integer, rate_limit integer, rate_interval_ms bigint, source text DEFAULT 'api'::text, updated_by text DEFAULT NULL::text) RETURNS SETOF jobqueue.job_queue_task_limits
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
  inserted boolean;
  deleted integer;
BEGIN
  IF job_queue_set_task_limits.source = 'settings'
     AND EXISTS (SELECT FROM job_queue_task_limits l WHERE l.task_type = job_queue_set_task_limits.task_type AND l.source = 'api') THEN
    -- an operator's limits win over the settings' defaults
    RETURN QUERY SELECT * FROM job_queue_task_limits l WHERE l.task_type = job_queue_set_task_limits.task_type;
    RETURN;
  END IF;
  INSERT INTO job_queue_task_limits AS l (task_type, max_concurrency, partition_by, max_concurrency_per_partition,
                                          rate_limit, rate_interval_ms, source, updated_by, updated_at)
  VALUES (job_queue_set_task_limits.task_type, job_queue_set_task_limits.max_concurrency, job_queue_set_task_limits.partition_by,
          job_queue_set_task_limits.max_concurrency_per_partition, job_queue_set_task_limits.rate_limit,
          job_queue_set_task_limits.rate_interval_ms, job_queue_set_task_limits.source, job_queue_set_task_limits.updated_by, now())
  ON CONFLICT (task_type) DO UPDATE
     SET max_concurrency = EXCLUDED.max_concurrency, partition_by = EXCLUDED.partition_by,
         max_concurrency_per_partition = EXCLUDED.max_concurrency_per_partition, rate_limit = EXCLUDED.rate_limit,
         rate_interval_ms = EXCLUDED.rate_interval_ms, source = EXCLUDED.source, updated_by = EXCLUDED.updated_by,
         updated_at = now()
  RETURNING (l.xmax = 0) INTO inserted;
  DELETE FROM job_queue_task_limits l
   WHERE l.task_type = job_queue_set_task_limits.task_type AND l.max_concurrency IS NULL AND l.partition_by IS NULL
     AND l.rate_limit IS NULL AND (l.paused_until IS NULL OR l.paused_until <= now());
  GET DIAGNOSTICS deleted = ROW_COUNT;
  IF job_queue_set_task_limits.rate_limit IS NULL THEN
    DELETE FROM job_queue_task_starts s WHERE s.task_type = job_queue_set_task_limits.task_type;
  END IF;
  IF inserted = (deleted = 0) THEN
    PERFORM held_flag_sync(job_queue_set_task_limits.task_type);
  END IF;
  RETURN QUERY SELECT * FROM job_queue_task_limits l WHERE l.task_type = job_queue_set_task_limits.task_type;
END
$$;


--
-- Name: job_queue_take_final_failures(integer); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_take_final_failures(max_rows integer DEFAULT 100) RETURNS TABLE(job_id uuid, task_type text, attempt integer, max_attempts integer, runner_id text, error text, duration_ms integer, failed_at timestamp with time zone)
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
  DELETE FROM job_queue_final_failures f
   WHERE f.id = ANY (ARRAY(
           SELECT o.id FROM job_queue_final_failures o
            ORDER BY o.id
            LIMIT LEAST(GREATEST(COALESCE($1, 100), 1), 10000)
              FOR UPDATE SKIP LOCKED))
  RETURNING f.job_id, f.task_type, f.attempt, f.max_attempts, f.runner_id, f.error, f.duration_ms, f.failed_at;
$_$;


--
-- Name: job_queue_throughput(interval); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_throughput(time_window interval DEFAULT '01:00:00'::interval) RETURNS TABLE(minute timestamp with time zone, succeeded bigint, failed bigint, retried bigint, lease_expired bigint, cancelled bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
  SELECT m.minute, COALESCE(sum(c.succeeded), 0)::bigint, COALESCE(sum(c.failed), 0)::bigint,
         COALESCE(sum(c.retried), 0)::bigint, COALESCE(sum(c.lease_expired), 0)::bigint, COALESCE(sum(c.cancelled), 0)::bigint
    FROM generate_series(date_trunc('minute', now())
                           - (LEAST(GREATEST(COALESCE($1, interval '1 hour'), interval '1 minute'), interval '7 days') - interval '1 minute'),
                         date_trunc('minute', now()), interval '1 minute') AS m(minute)
    LEFT JOIN job_queue_minute_counts c ON c.minute = m.minute
   GROUP BY m.minute
   ORDER BY m.minute;
$_$;


--
-- Name: job_queue_throughput_compact(timestamp with time zone); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_throughput_compact(older_than timestamp with time zone) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
DECLARE
  n integer;
BEGIN
  WITH gone AS (DELETE FROM job_queue_minute_counts c WHERE c.minute < older_than RETURNING c.minute)
  SELECT count(DISTINCT g.minute) INTO n FROM gone g;
  WITH folded AS (
    DELETE FROM job_queue_minute_counts c
     WHERE c.minute < date_trunc('minute', now()) - interval '1 hour' AND c.shard <> 0
    RETURNING c.*
  )
  INSERT INTO job_queue_minute_counts AS c (minute, shard, succeeded, failed, retried, lease_expired, cancelled)
  SELECT f.minute, 0, sum(f.succeeded), sum(f.failed), sum(f.retried), sum(f.lease_expired), sum(f.cancelled)
    FROM folded f
   GROUP BY f.minute
  ON CONFLICT (minute, shard) DO UPDATE
    SET succeeded = c.succeeded + EXCLUDED.succeeded, failed = c.failed + EXCLUDED.failed,
        retried = c.retried + EXCLUDED.retried, lease_expired = c.lease_expired + EXCLUDED.lease_expired,
        cancelled = c.cancelled + EXCLUDED.cancelled;
  RETURN n;
END
$$;


--
-- Name: job_queue_wake_idle_runners(); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.job_queue_wake_idle_runners() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
BEGIN
  IF (SELECT w.idle_until > now() FROM job_queue_wakeup w WHERE w.id) THEN
    PERFORM pg_notify('job_queue', '');
  END IF;
  RETURN NULL;
END
$$;


--
-- Name: like_pattern(text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.like_pattern(text text) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
  SELECT CASE WHEN $1 IS NULL THEN NULL
              ELSE '%' || replace(replace(replace($1, '\', '\\'), '%', '\%'), '_', '\_') || '%' END;
$_$;


--
-- Name: lock_down(); Type: PROCEDURE; Schema: jobqueue; Owner: -
--

CREATE PROCEDURE jobqueue.lock_down()
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  o record;
  g record;
BEGIN
  FOR o IN
    SELECT DISTINCT a.grantee
      FROM pg_namespace n, aclexplode(n.nspacl) a
     WHERE n.oid = 'jobqueue'::regnamespace AND a.grantee <> n.nspowner
  LOOP
    EXECUTE format('REVOKE ALL ON SCHEMA jobqueue FROM %s', jobqueue.grantee_name(o.grantee));
  END LOOP;
  GRANT USAGE ON SCHEMA jobqueue TO jobqueue_app;

  -- row-level security on every table, with no policy: should a privilege ever leak, it shows no rows
  -- (the owner, who runs the functions, is not subject to it)
  FOR o IN
    SELECT c.oid::regclass AS rel FROM pg_class c
     WHERE c.relnamespace = 'jobqueue'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity
  LOOP
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', o.rel);
  END LOOP;

  FOR o IN
    SELECT DISTINCT c.oid::regclass AS rel, c.relkind, a.grantee
      FROM pg_class c, aclexplode(c.relacl) a
     WHERE c.relnamespace = 'jobqueue'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
       AND a.grantee <> c.relowner
  LOOP
    EXECUTE format('REVOKE ALL ON %s %s FROM %s',
                   CASE WHEN o.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, o.rel, jobqueue.grantee_name(o.grantee));
  END LOOP;

  FOR o IN
    SELECT p.oid, p.oid::regprocedure AS signature, p.proowner,
           CASE WHEN p.prokind = 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END AS kind
      FROM pg_proc p
     WHERE p.pronamespace = 'jobqueue'::regnamespace
        OR (p.pronamespace = 'public'::regnamespace
            AND obj_description(p.oid, 'pg_proc') LIKE 'jobqueue: compatibility wrapper%')
  LOOP
    -- a NULL acl means PUBLIC may execute: revoking materializes the acl
    EXECUTE format('REVOKE ALL ON %s %s FROM PUBLIC', o.kind, o.signature);
    FOR g IN
      SELECT DISTINCT a.grantee
        FROM pg_proc p, aclexplode(p.proacl) a
       WHERE p.oid = o.oid AND a.grantee NOT IN (0, o.proowner, 'jobqueue_app'::regrole)
    LOOP
      EXECUTE format('REVOKE ALL ON %s %s FROM %s', o.kind, o.signature, jobqueue.grantee_name(g.grantee));
    END LOOP;
  END LOOP;
END
$$;


--
-- Name: lock_down_module(text, text[]); Type: PROCEDURE; Schema: jobqueue; Owner: -
--

CREATE PROCEDURE jobqueue.lock_down_module(IN module_schema text, IN app_functions text[])
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  ns oid := to_regnamespace(module_schema);
  o record;
  g record;
BEGIN
  IF ns IS NULL OR module_schema IN ('jobqueue', 'public', 'cron') OR module_schema LIKE 'pg\_%' OR module_schema = 'information_schema' THEN
    RAISE EXCEPTION 'lock_down_module: % is not a module''s schema', module_schema USING ERRCODE = '22023';
  END IF;

  FOR o IN
    SELECT DISTINCT a.grantee FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.oid = ns AND a.grantee <> n.nspowner
  LOOP
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM %s', module_schema, jobqueue.grantee_name(o.grantee));
  END LOOP;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO jobqueue_app', module_schema);

  FOR o IN
    SELECT c.oid::regclass AS rel FROM pg_class c WHERE c.relnamespace = ns AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity
  LOOP
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', o.rel);
  END LOOP;

  FOR o IN
    SELECT DISTINCT c.oid::regclass AS rel, c.relkind, a.grantee
      FROM pg_class c, aclexplode(c.relacl) a
     WHERE c.relnamespace = ns AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND a.grantee <> c.relowner
  LOOP
    EXECUTE format('REVOKE ALL ON %s %s FROM %s',
                   CASE WHEN o.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, o.rel, jobqueue.grantee_name(o.grantee));
  END LOOP;

  FOR o IN
    SELECT p.oid, p.oid::regprocedure AS signature, p.proowner, p.prokind = 'f' AND p.proname = ANY (app_functions) AS allowed,
           CASE WHEN p.prokind = 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END AS kind
      FROM pg_proc p
     WHERE p.pronamespace = ns
  LOOP
    -- a NULL acl means PUBLIC may execute: revoking materializes the acl
    EXECUTE format('REVOKE ALL ON %s %s FROM PUBLIC', o.kind, o.signature);
    FOR g IN
      SELECT DISTINCT a.grantee FROM pg_proc p, aclexplode(p.proacl) a
       WHERE p.oid = o.oid AND a.grantee NOT IN (0, o.proowner)
    LOOP
      EXECUTE format('REVOKE ALL ON %s %s FROM %s', o.kind, o.signature, jobqueue.grantee_name(g.grantee));
    END LOOP;
    IF o.allowed THEN
      EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO jobqueue_app', o.signature);
    END IF;
  END LOOP;
END
$$;


--
-- Name: payload_limit_problem(jsonb); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.payload_limit_problem(doc jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $_$
  SELECT CASE
           WHEN doc IS NULL THEN NULL
           WHEN pg_column_size(doc) > 1048576 THEN 'larger than 1 MiB (1048576 bytes)'
           WHEN pg_column_size(doc) >= 256 AND jsonb_path_exists(doc, 'strict $.**{32 to last}')
             THEN 'nested 32 levels deep or deeper (the limit is 31 levels below the root)'
         END;
$_$;


--
-- Name: pg_net_mask_keys(text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.pg_net_mask_keys(command text) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  SELECT regexp_replace(
           regexp_replace(command, 'eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*', 'redacted-jwt', 'g'),
           'sb_(secret|publishable)_[A-Za-z0-9_-]+', 'redacted-key', 'g');
$$;


--
-- Name: processing_switch_key(); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.processing_switch_key() RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN hashtextextended('job_queue_processing_switch'::text, (0)::bigint);


--
-- Name: recount_job_statuses(); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.recount_job_statuses() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
BEGIN
  LOCK TABLE job_queue IN SHARE ROW EXCLUSIVE MODE;
  DELETE FROM job_queue_status_counts;
  INSERT INTO job_queue_status_counts (shard, pending, processing, succeeded, failed, cancelled)
  SELECT 0, count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'processing'),
         count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER (WHERE status = 'failed'),
         count(*) FILTER (WHERE status = 'cancelled')
    FROM job_queue;
END
$$;


--
-- Name: set_app_execute(text[]); Type: PROCEDURE; Schema: jobqueue; Owner: -
--

CREATE PROCEDURE jobqueue.set_app_execute(IN names text[])
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  f record;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure AS signature, p.prokind = 'f' AND p.proname = ANY (names) AS allowed,
           CASE WHEN p.prokind = 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END AS kind
      FROM pg_proc p
     WHERE p.pronamespace = 'jobqueue'::regnamespace
        OR (p.pronamespace = 'public'::regnamespace
            AND obj_description(p.oid, 'pg_proc') = 'jobqueue: compatibility wrapper of jobqueue.' || p.proname)
  LOOP
    IF f.allowed THEN
      EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO jobqueue_app', f.signature);
    ELSE
      EXECUTE format('REVOKE ALL ON %s %s FROM jobqueue_app', f.kind, f.signature);
    END IF;
  END LOOP;
END
$$;


--
-- Name: toggle_cron_job(text, boolean); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.toggle_cron_job(job_name text, new_active boolean) RETURNS SETOF jobqueue.cron_job_info
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
DECLARE
  id bigint := jobqueue.cron_admin_job_id(toggle_cron_job.job_name);
BEGIN
  IF new_active IS NULL THEN
    RAISE EXCEPTION 'active must be true or false' USING ERRCODE = '22023', COLUMN = 'active';
  END IF;
  PERFORM jobqueue.cron_admin_alter(id, NULL, new_active);
  RETURN QUERY SELECT o.* FROM jobqueue.cron_admin_own_jobs() o WHERE o.jobid = id;
END
$$;


--
-- Name: trim_cron_job_runs(timestamp with time zone, integer); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.trim_cron_job_runs(older_than timestamp with time zone, batch_size integer DEFAULT 1000) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
DECLARE
  n integer;
BEGIN
  IF to_regclass('cron.job_run_details') IS NULL THEN
    RETURN 0;
  END IF;
  DELETE FROM cron.job_run_details d
   WHERE d.runid IN (SELECT x.runid FROM cron.job_run_details x
                      WHERE x.end_time < trim_cron_job_runs.older_than
                        AND x.jobid IN (SELECT r.jobid FROM jobqueue.cron_jobs r)
                      ORDER BY x.runid
                      LIMIT LEAST(GREATEST(COALESCE(trim_cron_job_runs.batch_size, 1000), 1), 50000));
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;


--
-- Name: update_cron_schedule(text, text); Type: FUNCTION; Schema: jobqueue; Owner: -
--

CREATE FUNCTION jobqueue.update_cron_schedule(job_name text, new_schedule text) RETURNS SETOF jobqueue.cron_job_info
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'jobqueue', 'pg_temp'
    AS $$
DECLARE
  id bigint := jobqueue.cron_admin_job_id(update_cron_schedule.job_name);
BEGIN
  PERFORM jobqueue.cron_admin_check_schedule(new_schedule);
  PERFORM jobqueue.cron_admin_alter(id, new_schedule, NULL);
  RETURN QUERY SELECT o.* FROM jobqueue.cron_admin_own_jobs() o WHERE o.jobid = id;
END
$$;


--
-- Name: game_platform_activity; Type: TABLE; Schema: game_platform; Owner: -
--

CREATE TABLE game_platform.game_platform_activity (
    competitor_id bigint NOT NULL,
    activity_id text NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    kind text NOT NULL,
    points integer DEFAULT 0 NOT NULL,
    result text,
    synced_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: game_platform_competitors; Type: TABLE; Schema: game_platform; Owner: -
--

CREATE TABLE game_platform.game_platform_competitors (
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


--
-- Name: game_platform_competitors_id_seq; Type: SEQUENCE; Schema: game_platform; Owner: -
--

ALTER TABLE game_platform.game_platform_competitors ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME game_platform.game_platform_competitors_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: game_platform_totals; Type: TABLE; Schema: game_platform; Owner: -
--

CREATE TABLE game_platform.game_platform_totals (
    competitor_id bigint NOT NULL,
    matches integer NOT NULL,
    wins integer NOT NULL,
    losses integer NOT NULL,
    points bigint NOT NULL,
    as_of timestamp with time zone,
    refreshed_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: schema_files; Type: TABLE; Schema: game_platform; Owner: -
--

CREATE TABLE game_platform.schema_files (
    name text NOT NULL,
    sha256 text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: schema_versions; Type: TABLE; Schema: game_platform; Owner: -
--

CREATE TABLE game_platform.schema_versions (
    schemaversionsid integer NOT NULL,
    scriptname character varying(255) NOT NULL,
    applied timestamp without time zone NOT NULL
);


--
-- Name: schema_versions_schemaversionsid_seq; Type: SEQUENCE; Schema: game_platform; Owner: -
--

CREATE SEQUENCE game_platform.schema_versions_schemaversionsid_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: schema_versions_schemaversionsid_seq; Type: SEQUENCE OWNED BY; Schema: game_platform; Owner: -
--

ALTER SEQUENCE game_platform.schema_versions_schemaversionsid_seq OWNED BY game_platform.schema_versions.schemaversionsid;


--
-- Name: cron_jobs; Type: TABLE; Schema: jobqueue; Owner: -
--

CREATE TABLE jobqueue.cron_jobs (
    jobid bigint NOT NULL,
    task_type text NOT NULL,
    payload jsonb NOT NULL,
    max_attempts integer NOT NULL,
    dedupe_key text,
    target_database text NOT NULL,
    command text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    priority integer DEFAULT 0 NOT NULL
);


--
-- Name: cutover_actions; Type: TABLE; Schema: jobqueue; Owner: -
--

CREATE TABLE jobqueue.cutover_actions (
    id bigint NOT NULL,
    kind text NOT NULL,
    legacy_name text NOT NULL,
    kept_as text,
    detail jsonb DEFAULT '{}'::jsonb NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL,
    rolled_back_at timestamp with time zone,
    CONSTRAINT cutover_actions_kind_check CHECK ((kind = ANY (ARRAY['table_renamed'::text, 'function_renamed'::text, 'view_created'::text, 'settings_carried'::text, 'cron_job_disabled'::text])))
);


--
-- Name: cutover_actions_id_seq; Type: SEQUENCE; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.cutover_actions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME jobqueue.cutover_actions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: cutover_cron_jobs; Type: TABLE; Schema: jobqueue; Owner: -
--

CREATE TABLE jobqueue.cutover_cron_jobs (
    old_jobid bigint NOT NULL,
    old_jobname text NOT NULL,
    old_username text NOT NULL,
    old_database text NOT NULL,
    old_command_md5 text NOT NULL,
    new_jobname text NOT NULL,
    converted_at timestamp with time zone DEFAULT now() NOT NULL,
    rolled_back_at timestamp with time zone
);


--
-- Name: job_queue_attempts_id_seq; Type: SEQUENCE; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue_attempts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME jobqueue.job_queue_attempts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: job_queue_audit_id_seq; Type: SEQUENCE; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue_audit ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME jobqueue.job_queue_audit_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: job_queue_final_failures; Type: TABLE; Schema: jobqueue; Owner: -
--

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


--
-- Name: job_queue_final_failures_id_seq; Type: SEQUENCE; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue_final_failures ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME jobqueue.job_queue_final_failures_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: job_queue_join_keys; Type: TABLE; Schema: jobqueue; Owner: -
--

CREATE TABLE jobqueue.job_queue_join_keys (
    task_type text NOT NULL,
    join_key text NOT NULL,
    job_id uuid NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT job_queue_join_keys_join_key_check CHECK (((length(join_key) >= 1) AND (length(join_key) <= 200)))
);


--
-- Name: job_queue_leader; Type: TABLE; Schema: jobqueue; Owner: -
--

CREATE TABLE jobqueue.job_queue_leader (
    name text NOT NULL,
    leader_id text NOT NULL,
    elected_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT job_queue_leader_leader_id_check CHECK (((length(leader_id) >= 1) AND (length(leader_id) <= 200))),
    CONSTRAINT job_queue_leader_name_check CHECK (((length(name) >= 1) AND (length(name) <= 100)))
);


--
-- Name: job_queue_minute_counts; Type: TABLE; Schema: jobqueue; Owner: -
--

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


--
-- Name: job_queue_schema_files; Type: TABLE; Schema: jobqueue; Owner: -
--

CREATE TABLE jobqueue.job_queue_schema_files (
    name text NOT NULL,
    sha256 text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: job_queue_schema_versions; Type: TABLE; Schema: jobqueue; Owner: -
--

CREATE TABLE jobqueue.job_queue_schema_versions (
    schemaversionsid integer NOT NULL,
    scriptname character varying(255) NOT NULL,
    applied timestamp without time zone NOT NULL
);


--
-- Name: job_queue_schema_versions_schemaversionsid_seq; Type: SEQUENCE; Schema: jobqueue; Owner: -
--

CREATE SEQUENCE jobqueue.job_queue_schema_versions_schemaversionsid_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: job_queue_schema_versions_schemaversionsid_seq; Type: SEQUENCE OWNED BY; Schema: jobqueue; Owner: -
--

ALTER SEQUENCE jobqueue.job_queue_schema_versions_schemaversionsid_seq OWNED BY jobqueue.job_queue_schema_versions.schemaversionsid;


--
-- Name: job_queue_status_counts; Type: TABLE; Schema: jobqueue; Owner: -
--

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


--
-- Name: job_queue_task_starts; Type: TABLE; Schema: jobqueue; Owner: -
--

CREATE TABLE jobqueue.job_queue_task_starts (
    task_type text NOT NULL,
    started_at timestamp with time zone NOT NULL
);


--
-- Name: job_queue_wakeup; Type: TABLE; Schema: jobqueue; Owner: -
--

CREATE TABLE jobqueue.job_queue_wakeup (
    id boolean DEFAULT true NOT NULL,
    idle_until timestamp with time zone,
    CONSTRAINT job_queue_wakeup_id_check CHECK (id)
);


--
-- Name: schema_versions schemaversionsid; Type: DEFAULT; Schema: game_platform; Owner: -
--

ALTER TABLE ONLY game_platform.schema_versions ALTER COLUMN schemaversionsid SET DEFAULT nextval('game_platform.schema_versions_schemaversionsid_seq'::regclass);


--
-- Name: job_queue_schema_versions schemaversionsid; Type: DEFAULT; Schema: jobqueue; Owner: -
--

ALTER TABLE ONLY jobqueue.job_queue_schema_versions ALTER COLUMN schemaversionsid SET DEFAULT nextval('jobqueue.job_queue_schema_versions_schemaversionsid_seq'::regclass);


--
-- Name: schema_versions PK_schema_versions_Id; Type: CONSTRAINT; Schema: game_platform; Owner: -
--

ALTER TABLE ONLY game_platform.schema_versions
    ADD CONSTRAINT "PK_schema_versions_Id" PRIMARY KEY (schemaversionsid);


--
-- Name: game_platform_activity game_platform_activity_pkey; Type: CONSTRAINT; Schema: game_platform; Owner: -
--

ALTER TABLE ONLY game_platform.game_platform_activity
    ADD CONSTRAINT game_platform_activity_pkey PRIMARY KEY (competitor_id, activity_id);


--
-- Name: game_platform_competitors game_platform_competitors_game_platform_user_id_key; Type: CONSTRAINT; Schema: game_platform; Owner: -
--

ALTER TABLE ONLY game_platform.game_platform_competitors
    ADD CONSTRAINT game_platform_competitors_game_platform_user_id_key UNIQUE (game_platform_user_id);


--
-- Name: game_platform_competitors game_platform_competitors_pkey; Type: CONSTRAINT; Schema: game_platform; Owner: -
--

ALTER TABLE ONLY game_platform.game_platform_competitors
    ADD CONSTRAINT game_platform_competitors_pkey PRIMARY KEY (id);


--
-- Name: game_platform_totals game_platform_totals_pkey; Type: CONSTRAINT; Schema: game_platform; Owner: -
--

ALTER TABLE ONLY game_platform.game_platform_totals
    ADD CONSTRAINT game_platform_totals_pkey PRIMARY KEY (competitor_id);


--
-- Name: schema_files schema_files_pkey; Type: CONSTRAINT; Schema: game_platform; Owner: -
--

ALTER TABLE ONLY game_platform.schema_files
    ADD CONSTRAINT schema_files_pkey PRIMARY KEY (name);


--
-- Name: job_queue_schema_versions PK_job_queue_schema_versions_Id; Type: CONSTRAINT; Schema: jobqueue; Owner: -
--

ALTER TABLE ONLY jobqueue.job_queue_schema_versions
    ADD CONSTRAINT "PK_job_queue_schema_versions_Id" PRIMARY KEY (schemaversionsid);


--
-- Name: cron_jobs cron_jobs_pkey; Type: CONSTRAINT; Schema: jobqueue; Owner: -
--

ALTER TABLE ONLY jobqueue.cron_jobs
    ADD CONSTRAINT cron_jobs_pkey PRIMARY KEY (jobid);


--
-- Name: cutover_actions cutover_actions_pkey; Type: CONSTRAINT; Schema: jobqueue; Owner: -
--

ALTER TABLE ONLY jobqueue.cutover_actions
    ADD CONSTRAINT cutover_actions_pkey PRIMARY KEY (id);


--
-- Name: cutover_cron_jobs cutover_cron_jobs_pkey; Type: CONSTRAINT; Schema: jobqueue; Owner: -
--

ALTER TABLE ONLY jobqueue.cutover_cron_jobs
    ADD CONSTRAINT cutover_cron_jobs_pkey PRIMARY KEY (old_jobid);


--
-- Name: job_queue_attempts job_queue_attempts_outcome_check; Type: CHECK CONSTRAINT; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue_attempts
    ADD CONSTRAINT job_queue_attempts_outcome_check CHECK ((outcome = ANY (ARRAY['succeeded'::text, 'retry'::text, 'failed'::text, 'lease_expired'::text, 'cancelled'::text, 'snoozed'::text]))) NOT VALID;


--
-- Name: job_queue_attempts job_queue_attempts_pkey; Type: CONSTRAINT; Schema: jobqueue; Owner: -
--

ALTER TABLE ONLY jobqueue.job_queue_attempts
    ADD CONSTRAINT job_queue_attempts_pkey PRIMARY KEY (id);


--
-- Name: job_queue_audit job_queue_audit_pkey; Type: CONSTRAINT; Schema: jobqueue; Owner: -
--

ALTER TABLE ONLY jobqueue.job_queue_audit
    ADD CONSTRAINT job_queue_audit_pkey PRIMARY KEY (id);


--
-- Name: job_queue_final_failures job_queue_final_failures_pkey; Type: CONSTRAINT; Schema: jobqueue; Owner: -
--

ALTER TABLE ONLY jobqueue.job_queue_final_failures
    ADD CONSTRAINT job_queue_final_failures_pkey PRIMARY KEY (id);


--
-- Name: job_queue_join_keys job_queue_join_keys_pkey; Type: CONSTRAINT; Schema: jobqueue; Owner: -
--

ALTER TABLE ONLY jobqueue.job_queue_join_keys
    ADD CONSTRAINT job_queue_join_keys_pkey PRIMARY KEY (task_type, join_key);


--
-- Name: job_queue_leader job_queue_leader_pkey; Type: CONSTRAINT; Schema: jobqueue; Owner: -
--

ALTER TABLE ONLY jobqueue.job_queue_leader
    ADD CONSTRAINT job_queue_leader_pkey PRIMARY KEY (name);


--
-- Name: job_queue_minute_counts job_queue_minute_counts_pkey; Type: CONSTRAINT; Schema: jobqueue; Owner: -
--

ALTER TABLE ONLY jobqueue.job_queue_minute_counts
    ADD CONSTRAINT job_queue_minute_counts_pkey PRIMARY KEY (minute, shard);


--
-- Name: job_queue job_queue_pkey; Type: CONSTRAINT; Schema: jobqueue; Owner: -
--

ALTER TABLE ONLY jobqueue.job_queue
    ADD CONSTRAINT job_queue_pkey PRIMARY KEY (id);


--
-- Name: job_queue_schedule_ticks job_queue_schedule_ticks_pkey; Type: CONSTRAINT; Schema: jobqueue; Owner: -
--

ALTER TABLE ONLY jobqueue.job_queue_schedule_ticks
    ADD CONSTRAINT job_queue_schedule_ticks_pkey PRIMARY KEY (name);


--
-- Name: job_queue_schema_files job_queue_schema_files_pkey; Type: CONSTRAINT; Schema: jobqueue; Owner: -
--

ALTER TABLE ONLY jobqueue.job_queue_schema_files
    ADD CONSTRAINT job_queue_schema_files_pkey PRIMARY KEY (name);


--
-- Name: job_queue_settings job_queue_settings_pkey; Type: CONSTRAINT; Schema: jobqueue; Owner: -
--

ALTER TABLE ONLY jobqueue.job_queue_settings
    ADD CONSTRAINT job_queue_settings_pkey PRIMARY KEY (id);


--
-- Name: job_queue_status_counts job_queue_status_counts_pkey; Type: CONSTRAINT; Schema: jobqueue; Owner: -
--

ALTER TABLE ONLY jobqueue.job_queue_status_counts
    ADD CONSTRAINT job_queue_status_counts_pkey PRIMARY KEY (shard);


--
-- Name: job_queue_task_limits job_queue_task_limits_pkey; Type: CONSTRAINT; Schema: jobqueue; Owner: -
--

ALTER TABLE ONLY jobqueue.job_queue_task_limits
    ADD CONSTRAINT job_queue_task_limits_pkey PRIMARY KEY (task_type);


--
-- Name: job_queue job_queue_trace_parent_length; Type: CHECK CONSTRAINT; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue
    ADD CONSTRAINT job_queue_trace_parent_length CHECK (((trace_parent IS NULL) OR (length(trace_parent) <= 128))) NOT VALID;


--
-- Name: job_queue_wakeup job_queue_wakeup_pkey; Type: CONSTRAINT; Schema: jobqueue; Owner: -
--

ALTER TABLE ONLY jobqueue.job_queue_wakeup
    ADD CONSTRAINT job_queue_wakeup_pkey PRIMARY KEY (id);


--
-- Name: game_platform_activity_time_idx; Type: INDEX; Schema: game_platform; Owner: -
--

CREATE INDEX game_platform_activity_time_idx ON game_platform.game_platform_activity USING btree (competitor_id, occurred_at DESC);


--
-- Name: game_platform_competitors_coach_idx; Type: INDEX; Schema: game_platform; Owner: -
--

CREATE INDEX game_platform_competitors_coach_idx ON game_platform.game_platform_competitors USING btree (coach_id, id);


--
-- Name: game_platform_competitors_flagged_idx; Type: INDEX; Schema: game_platform; Owner: -
--

CREATE INDEX game_platform_competitors_flagged_idx ON game_platform.game_platform_competitors USING btree (id) WHERE needs_totals_refresh;


--
-- Name: job_queue_attempts_job_idx; Type: INDEX; Schema: jobqueue; Owner: -
--

CREATE INDEX job_queue_attempts_job_idx ON jobqueue.job_queue_attempts USING btree (job_id, id);


--
-- Name: job_queue_audit_at_idx; Type: INDEX; Schema: jobqueue; Owner: -
--

CREATE INDEX job_queue_audit_at_idx ON jobqueue.job_queue_audit USING btree (at);


--
-- Name: job_queue_dedupe_uidx; Type: INDEX; Schema: jobqueue; Owner: -
--

CREATE UNIQUE INDEX job_queue_dedupe_uidx ON jobqueue.job_queue USING btree (task_type, dedupe_key) WHERE ((dedupe_key IS NOT NULL) AND (status = ANY (ARRAY['pending'::text, 'processing'::text])));


--
-- Name: job_queue_due_idx; Type: INDEX; Schema: jobqueue; Owner: -
--

CREATE INDEX job_queue_due_idx ON jobqueue.job_queue USING btree (priority, run_at, id) WHERE ((status = 'pending'::text) AND (NOT held));


--
-- Name: job_queue_ended_badly_idx; Type: INDEX; Schema: jobqueue; Owner: -
--

CREATE INDEX job_queue_ended_badly_idx ON jobqueue.job_queue USING btree (status, id) WHERE (status = ANY (ARRAY['failed'::text, 'cancelled'::text]));


--
-- Name: job_queue_finished_idx; Type: INDEX; Schema: jobqueue; Owner: -
--

CREATE INDEX job_queue_finished_idx ON jobqueue.job_queue USING btree (completed_at) WHERE (status = ANY (ARRAY['succeeded'::text, 'failed'::text, 'cancelled'::text]));


--
-- Name: job_queue_held_due_idx; Type: INDEX; Schema: jobqueue; Owner: -
--

CREATE INDEX job_queue_held_due_idx ON jobqueue.job_queue USING btree (task_type, priority DESC, run_at, id) WHERE ((status = 'pending'::text) AND held);


--
-- Name: job_queue_lease_idx; Type: INDEX; Schema: jobqueue; Owner: -
--

CREATE INDEX job_queue_lease_idx ON jobqueue.job_queue USING btree (locked_until) WHERE (status = 'processing'::text);


--
-- Name: job_queue_task_starts_idx; Type: INDEX; Schema: jobqueue; Owner: -
--

CREATE INDEX job_queue_task_starts_idx ON jobqueue.job_queue_task_starts USING btree (task_type, started_at);


--
-- Name: job_queue_attempts job_queue_count_attempts; Type: TRIGGER; Schema: jobqueue; Owner: -
--

CREATE TRIGGER job_queue_count_attempts AFTER INSERT ON jobqueue.job_queue_attempts REFERENCING NEW TABLE AS new_attempts FOR EACH STATEMENT EXECUTE FUNCTION jobqueue.count_job_attempts();


--
-- Name: job_queue job_queue_count_deletes; Type: TRIGGER; Schema: jobqueue; Owner: -
--

CREATE TRIGGER job_queue_count_deletes AFTER DELETE ON jobqueue.job_queue REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION jobqueue.count_job_statuses();


--
-- Name: job_queue job_queue_count_inserts; Type: TRIGGER; Schema: jobqueue; Owner: -
--

CREATE TRIGGER job_queue_count_inserts AFTER INSERT ON jobqueue.job_queue REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION jobqueue.count_job_statuses();


--
-- Name: job_queue job_queue_count_truncates; Type: TRIGGER; Schema: jobqueue; Owner: -
--

CREATE TRIGGER job_queue_count_truncates AFTER TRUNCATE ON jobqueue.job_queue FOR EACH STATEMENT EXECUTE FUNCTION jobqueue.count_job_statuses();


--
-- Name: job_queue job_queue_count_updates; Type: TRIGGER; Schema: jobqueue; Owner: -
--

CREATE TRIGGER job_queue_count_updates AFTER UPDATE ON jobqueue.job_queue REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION jobqueue.count_job_statuses();


--
-- Name: job_queue job_queue_wake_idle_runners; Type: TRIGGER; Schema: jobqueue; Owner: -
--

CREATE TRIGGER job_queue_wake_idle_runners AFTER INSERT ON jobqueue.job_queue FOR EACH STATEMENT EXECUTE FUNCTION jobqueue.job_queue_wake_idle_runners();


--
-- Name: job_queue job_queue_wake_idle_runners_due; Type: TRIGGER; Schema: jobqueue; Owner: -
--

CREATE TRIGGER job_queue_wake_idle_runners_due AFTER UPDATE OF status, run_at ON jobqueue.job_queue FOR EACH ROW WHEN (((new.status = 'pending'::text) AND (new.run_at <= now()))) EXECUTE FUNCTION jobqueue.job_queue_wake_idle_runners();


--
-- Name: game_platform_activity game_platform_activity_competitor_id_fkey; Type: FK CONSTRAINT; Schema: game_platform; Owner: -
--

ALTER TABLE ONLY game_platform.game_platform_activity
    ADD CONSTRAINT game_platform_activity_competitor_id_fkey FOREIGN KEY (competitor_id) REFERENCES game_platform.game_platform_competitors(id) ON DELETE CASCADE;


--
-- Name: game_platform_totals game_platform_totals_competitor_id_fkey; Type: FK CONSTRAINT; Schema: game_platform; Owner: -
--

ALTER TABLE ONLY game_platform.game_platform_totals
    ADD CONSTRAINT game_platform_totals_competitor_id_fkey FOREIGN KEY (competitor_id) REFERENCES game_platform.game_platform_competitors(id) ON DELETE CASCADE;


--
-- Name: game_platform_activity; Type: ROW SECURITY; Schema: game_platform; Owner: -
--

ALTER TABLE game_platform.game_platform_activity ENABLE ROW LEVEL SECURITY;

--
-- Name: game_platform_competitors; Type: ROW SECURITY; Schema: game_platform; Owner: -
--

ALTER TABLE game_platform.game_platform_competitors ENABLE ROW LEVEL SECURITY;

--
-- Name: game_platform_totals; Type: ROW SECURITY; Schema: game_platform; Owner: -
--

ALTER TABLE game_platform.game_platform_totals ENABLE ROW LEVEL SECURITY;

--
-- Name: schema_files; Type: ROW SECURITY; Schema: game_platform; Owner: -
--

ALTER TABLE game_platform.schema_files ENABLE ROW LEVEL SECURITY;

--
-- Name: schema_versions; Type: ROW SECURITY; Schema: game_platform; Owner: -
--

ALTER TABLE game_platform.schema_versions ENABLE ROW LEVEL SECURITY;

--
-- Name: cron_jobs; Type: ROW SECURITY; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.cron_jobs ENABLE ROW LEVEL SECURITY;

--
-- Name: cutover_actions; Type: ROW SECURITY; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.cutover_actions ENABLE ROW LEVEL SECURITY;

--
-- Name: cutover_cron_jobs; Type: ROW SECURITY; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.cutover_cron_jobs ENABLE ROW LEVEL SECURITY;

--
-- Name: job_queue; Type: ROW SECURITY; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue ENABLE ROW LEVEL SECURITY;

--
-- Name: job_queue_attempts; Type: ROW SECURITY; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue_attempts ENABLE ROW LEVEL SECURITY;

--
-- Name: job_queue_audit; Type: ROW SECURITY; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue_audit ENABLE ROW LEVEL SECURITY;

--
-- Name: job_queue_final_failures; Type: ROW SECURITY; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue_final_failures ENABLE ROW LEVEL SECURITY;

--
-- Name: job_queue_join_keys; Type: ROW SECURITY; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue_join_keys ENABLE ROW LEVEL SECURITY;

--
-- Name: job_queue_leader; Type: ROW SECURITY; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue_leader ENABLE ROW LEVEL SECURITY;

--
-- Name: job_queue_minute_counts; Type: ROW SECURITY; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue_minute_counts ENABLE ROW LEVEL SECURITY;

--
-- Name: job_queue_schedule_ticks; Type: ROW SECURITY; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue_schedule_ticks ENABLE ROW LEVEL SECURITY;

--
-- Name: job_queue_schema_files; Type: ROW SECURITY; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue_schema_files ENABLE ROW LEVEL SECURITY;

--
-- Name: job_queue_schema_versions; Type: ROW SECURITY; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue_schema_versions ENABLE ROW LEVEL SECURITY;

--
-- Name: job_queue_settings; Type: ROW SECURITY; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue_settings ENABLE ROW LEVEL SECURITY;

--
-- Name: job_queue_status_counts; Type: ROW SECURITY; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue_status_counts ENABLE ROW LEVEL SECURITY;

--
-- Name: job_queue_task_limits; Type: ROW SECURITY; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue_task_limits ENABLE ROW LEVEL SECURITY;

--
-- Name: job_queue_task_starts; Type: ROW SECURITY; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue_task_starts ENABLE ROW LEVEL SECURITY;

--
-- Name: job_queue_wakeup; Type: ROW SECURITY; Schema: jobqueue; Owner: -
--

ALTER TABLE jobqueue.job_queue_wakeup ENABLE ROW LEVEL SECURITY;

--
-- Name: SCHEMA game_platform; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA game_platform TO jobqueue_app;


--
-- Name: SCHEMA jobqueue; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA jobqueue TO jobqueue_app;


--
-- Name: FUNCTION game_platform_apply_totals(competitor_id bigint, refresh_generation bigint, claimed_by text, matches integer, wins integer, losses integer, points bigint, as_of_unix bigint); Type: ACL; Schema: game_platform; Owner: -
--

REVOKE ALL ON FUNCTION game_platform.game_platform_apply_totals(competitor_id bigint, refresh_generation bigint, claimed_by text, matches integer, wins integer, losses integer, points bigint, as_of_unix bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION game_platform.game_platform_apply_totals(competitor_id bigint, refresh_generation bigint, claimed_by text, matches integer, wins integer, losses integer, points bigint, as_of_unix bigint) TO jobqueue_app;


--
-- Name: FUNCTION game_platform_claim_totals_batch(only_coach_id text, batch_size integer, lease interval, claimed_by text); Type: ACL; Schema: game_platform; Owner: -
--

REVOKE ALL ON FUNCTION game_platform.game_platform_claim_totals_batch(only_coach_id text, batch_size integer, lease interval, claimed_by text) FROM PUBLIC;
GRANT ALL ON FUNCTION game_platform.game_platform_claim_totals_batch(only_coach_id text, batch_size integer, lease interval, claimed_by text) TO jobqueue_app;


--
-- Name: FUNCTION game_platform_list_flagged(only_coach_id text, after_id bigint, batch_size integer); Type: ACL; Schema: game_platform; Owner: -
--

REVOKE ALL ON FUNCTION game_platform.game_platform_list_flagged(only_coach_id text, after_id bigint, batch_size integer) FROM PUBLIC;
GRANT ALL ON FUNCTION game_platform.game_platform_list_flagged(only_coach_id text, after_id bigint, batch_size integer) TO jobqueue_app;


--
-- Name: FUNCTION game_platform_preview_activity(competitor_id bigint, activities jsonb); Type: ACL; Schema: game_platform; Owner: -
--

REVOKE ALL ON FUNCTION game_platform.game_platform_preview_activity(competitor_id bigint, activities jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION game_platform.game_platform_preview_activity(competitor_id bigint, activities jsonb) TO jobqueue_app;


--
-- Name: FUNCTION game_platform_record_activity(competitor_id bigint, activities jsonb, fetched_through_unix bigint); Type: ACL; Schema: game_platform; Owner: -
--

REVOKE ALL ON FUNCTION game_platform.game_platform_record_activity(competitor_id bigint, activities jsonb, fetched_through_unix bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION game_platform.game_platform_record_activity(competitor_id bigint, activities jsonb, fetched_through_unix bigint) TO jobqueue_app;


--
-- Name: FUNCTION game_platform_release_totals_claim(competitor_id bigint, claimed_by text); Type: ACL; Schema: game_platform; Owner: -
--

REVOKE ALL ON FUNCTION game_platform.game_platform_release_totals_claim(competitor_id bigint, claimed_by text) FROM PUBLIC;
GRANT ALL ON FUNCTION game_platform.game_platform_release_totals_claim(competitor_id bigint, claimed_by text) TO jobqueue_app;


--
-- Name: FUNCTION game_platform_sync_scope(only_coach_id text); Type: ACL; Schema: game_platform; Owner: -
--

REVOKE ALL ON FUNCTION game_platform.game_platform_sync_scope(only_coach_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION game_platform.game_platform_sync_scope(only_coach_id text) TO jobqueue_app;


--
-- Name: FUNCTION game_platform_upsert_competitor(coach_id text, game_platform_user_id text, display_name text); Type: ACL; Schema: game_platform; Owner: -
--

REVOKE ALL ON FUNCTION game_platform.game_platform_upsert_competitor(coach_id text, game_platform_user_id text, display_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION game_platform.game_platform_upsert_competitor(coach_id text, game_platform_user_id text, display_name text) TO jobqueue_app;


--
-- Name: FUNCTION convert_pg_net_cron_job(old_job_id bigint, old_command_md5 text, job_name text, job_schedule text, task_type text, task_payload jsonb, max_attempts integer, dedupe_key text, target_database text, job_priority integer); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.convert_pg_net_cron_job(old_job_id bigint, old_command_md5 text, job_name text, job_schedule text, task_type text, task_payload jsonb, max_attempts integer, dedupe_key text, target_database text, job_priority integer) FROM PUBLIC;


--
-- Name: FUNCTION count_job_attempts(); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.count_job_attempts() FROM PUBLIC;


--
-- Name: FUNCTION count_job_statuses(); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.count_job_statuses() FROM PUBLIC;


--
-- Name: PROCEDURE create_compat_wrappers(IN names text[]); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON PROCEDURE jobqueue.create_compat_wrappers(IN names text[]) FROM PUBLIC;


--
-- Name: FUNCTION create_cron_job(job_name text, job_schedule text, task_type text, task_payload jsonb, max_attempts integer, dedupe_key text, target_database text, job_priority integer); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.create_cron_job(job_name text, job_schedule text, task_type text, task_payload jsonb, max_attempts integer, dedupe_key text, target_database text, job_priority integer) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.create_cron_job(job_name text, job_schedule text, task_type text, task_payload jsonb, max_attempts integer, dedupe_key text, target_database text, job_priority integer) TO jobqueue_app;


--
-- Name: FUNCTION cron_admin_adopt_legacy_jobs(); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.cron_admin_adopt_legacy_jobs() FROM PUBLIC;


--
-- Name: FUNCTION cron_admin_alter(job_id bigint, new_schedule text, new_active boolean); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.cron_admin_alter(job_id bigint, new_schedule text, new_active boolean) FROM PUBLIC;


--
-- Name: FUNCTION cron_admin_check_name(job_name text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.cron_admin_check_name(job_name text) FROM PUBLIC;


--
-- Name: FUNCTION cron_admin_check_schedule(job_schedule text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.cron_admin_check_schedule(job_schedule text) FROM PUBLIC;


--
-- Name: FUNCTION cron_admin_job_id(job_name text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.cron_admin_job_id(job_name text) FROM PUBLIC;


--
-- Name: FUNCTION cron_admin_own_jobs(); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.cron_admin_own_jobs() FROM PUBLIC;


--
-- Name: FUNCTION cron_admin_require_pg_cron(); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.cron_admin_require_pg_cron() FROM PUBLIC;


--
-- Name: FUNCTION cron_admin_unquote(literal text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.cron_admin_unquote(literal text) FROM PUBLIC;


--
-- Name: FUNCTION cron_job_counts(owner_role text, since timestamp with time zone); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.cron_job_counts(owner_role text, since timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION cron_job_visibility(since timestamp with time zone); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.cron_job_visibility(since timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.cron_job_visibility(since timestamp with time zone) TO jobqueue_app;


--
-- Name: FUNCTION cutover_old_runs(jobids bigint[], runs integer); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.cutover_old_runs(jobids bigint[], runs integer) FROM PUBLIC;


--
-- Name: FUNCTION cutover_parity_attempts(jobnames text[], since timestamp with time zone, jobs_per_name integer); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.cutover_parity_attempts(jobnames text[], since timestamp with time zone, jobs_per_name integer) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.cutover_parity_attempts(jobnames text[], since timestamp with time zone, jobs_per_name integer) TO jobqueue_app;


--
-- Name: FUNCTION delete_cron_job(job_name text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.delete_cron_job(job_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.delete_cron_job(job_name text) TO jobqueue_app;


--
-- Name: FUNCTION get_cron_job_runs("limit" integer); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.get_cron_job_runs("limit" integer) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.get_cron_job_runs("limit" integer) TO jobqueue_app;


--
-- Name: FUNCTION get_cron_jobs(); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.get_cron_jobs() FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.get_cron_jobs() TO jobqueue_app;


--
-- Name: FUNCTION get_cutover_cron_jobs(); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.get_cutover_cron_jobs() FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.get_cutover_cron_jobs() TO jobqueue_app;


--
-- Name: FUNCTION get_pg_net_cron_jobs(); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.get_pg_net_cron_jobs() FROM PUBLIC;


--
-- Name: FUNCTION grantee_name(grantee oid); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.grantee_name(grantee oid) FROM PUBLIC;


--
-- Name: FUNCTION held_flag_key(task_type text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.held_flag_key(task_type text) FROM PUBLIC;


--
-- Name: FUNCTION held_flag_sync(task_type text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.held_flag_sync(task_type text) FROM PUBLIC;


--
-- Name: FUNCTION job_filter_clause(has_status boolean, has_task_type boolean, has_after boolean, has_before boolean, has_text boolean); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_filter_clause(has_status boolean, has_task_type boolean, has_after boolean, has_before boolean, has_text boolean) FROM PUBLIC;


--
-- Name: FUNCTION job_queue_audit_list("limit" integer, before_id bigint, action text, actor text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_audit_list("limit" integer, before_id bigint, action text, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_audit_list("limit" integer, before_id bigint, action text, actor text) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_audit_prune(older_than timestamp with time zone, batch_size integer); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_audit_prune(older_than timestamp with time zone, batch_size integer) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_audit_prune(older_than timestamp with time zone, batch_size integer) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_audit_record(actor text, action text, target text, outcome text, status integer, detail text, request_id text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_audit_record(actor text, action text, target text, outcome text, status integer, detail text, request_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_audit_record(actor text, action text, target text, outcome text, status integer, detail text, request_id text) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_bulk_cancel(status text, task_type text, created_after timestamp with time zone, created_before timestamp with time zone, payload_text text, dry_run boolean, max_jobs integer, actor text, reason text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_bulk_cancel(status text, task_type text, created_after timestamp with time zone, created_before timestamp with time zone, payload_text text, dry_run boolean, max_jobs integer, actor text, reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_bulk_cancel(status text, task_type text, created_after timestamp with time zone, created_before timestamp with time zone, payload_text text, dry_run boolean, max_jobs integer, actor text, reason text) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_bulk_retry(status text, task_type text, created_after timestamp with time zone, created_before timestamp with time zone, payload_text text, dry_run boolean, max_jobs integer, actor text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_bulk_retry(status text, task_type text, created_after timestamp with time zone, created_before timestamp with time zone, payload_text text, dry_run boolean, max_jobs integer, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_bulk_retry(status text, task_type text, created_after timestamp with time zone, created_before timestamp with time zone, payload_text text, dry_run boolean, max_jobs integer, actor text) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_cancel(id uuid, actor text, reason text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_cancel(id uuid, actor text, reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_cancel(id uuid, actor text, reason text) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_claim("limit" integer, lease interval, runner_id text, after_run_at timestamp with time zone, after_id uuid, after_priority integer); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_claim("limit" integer, lease interval, runner_id text, after_run_at timestamp with time zone, after_id uuid, after_priority integer) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_claim("limit" integer, lease interval, runner_id text, after_run_at timestamp with time zone, after_id uuid, after_priority integer) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_claim_missed_tick(name text, tick timestamp with time zone, missed integer, action text, instance text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_claim_missed_tick(name text, tick timestamp with time zone, missed integer, action text, instance text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_claim_missed_tick(name text, tick timestamp with time zone, missed integer, action text, instance text) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_claim_schedule_tick(name text, tick timestamp with time zone, instance text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_claim_schedule_tick(name text, tick timestamp with time zone, instance text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_claim_schedule_tick(name text, tick timestamp with time zone, instance text) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_cleanup_batch(older_than timestamp with time zone, batch_size integer); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_cleanup_batch(older_than timestamp with time zone, batch_size integer) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_cleanup_batch(older_than timestamp with time zone, batch_size integer) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_complete(runner_id text, results jsonb); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_complete(runner_id text, results jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_complete(runner_id text, results jsonb) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_database_health(); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_database_health() FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_database_health() TO jobqueue_app;


--
-- Name: FUNCTION job_queue_enqueue(task_type text, payload jsonb, run_at timestamp with time zone, max_attempts integer, dedupe_key text, triggered_by text, request_id text, priority integer, partition_key text, trace_parent text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_enqueue(task_type text, payload jsonb, run_at timestamp with time zone, max_attempts integer, dedupe_key text, triggered_by text, request_id text, priority integer, partition_key text, trace_parent text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_enqueue(task_type text, payload jsonb, run_at timestamp with time zone, max_attempts integer, dedupe_key text, triggered_by text, request_id text, priority integer, partition_key text, trace_parent text) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_enqueue_follow_ups(job_ids uuid[]); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_enqueue_follow_ups(job_ids uuid[]) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_enqueue_follow_ups(job_ids uuid[]) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_enqueue_many(task_type text, payloads jsonb[], run_at timestamp with time zone, max_attempts integer, triggered_by text, priority integer, trace_parent text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_enqueue_many(task_type text, payloads jsonb[], run_at timestamp with time zone, max_attempts integer, triggered_by text, priority integer, trace_parent text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_enqueue_many(task_type text, payloads jsonb[], run_at timestamp with time zone, max_attempts integer, triggered_by text, priority integer, trace_parent text) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_enqueue_or_join(task_type text, join_key text, payload jsonb, run_at timestamp with time zone, max_attempts integer, triggered_by text, request_id text, priority integer, partition_key text, trace_parent text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_enqueue_or_join(task_type text, join_key text, payload jsonb, run_at timestamp with time zone, max_attempts integer, triggered_by text, request_id text, priority integer, partition_key text, trace_parent text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_enqueue_or_join(task_type text, join_key text, payload jsonb, run_at timestamp with time zone, max_attempts integer, triggered_by text, request_id text, priority integer, partition_key text, trace_parent text) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_explain_wait(id uuid, stale_after interval); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_explain_wait(id uuid, stale_after interval) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_explain_wait(id uuid, stale_after interval) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_extend_leases(runner_id text, ids uuid[], lease interval); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_extend_leases(runner_id text, ids uuid[], lease interval) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_extend_leases(runner_id text, ids uuid[], lease interval) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_get(id uuid); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_get(id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_get(id uuid) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_get_attempts(job_id uuid); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_get_attempts(job_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_get_attempts(job_id uuid) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_get_schedule_ticks(); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_get_schedule_ticks() FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_get_schedule_ticks() TO jobqueue_app;


--
-- Name: FUNCTION job_queue_get_settings(); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_get_settings() FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_get_settings() TO jobqueue_app;


--
-- Name: FUNCTION job_queue_get_task_limits(); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_get_task_limits() FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_get_task_limits() TO jobqueue_app;


--
-- Name: FUNCTION job_queue_health(recent_limit integer); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_health(recent_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_health(recent_limit integer) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_leader_elect(name text, leader_id text, ttl interval); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_leader_elect(name text, leader_id text, ttl interval) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_leader_elect(name text, leader_id text, ttl interval) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_leader_get(name text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_leader_get(name text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_leader_get(name text) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_leader_resign(name text, leader_id text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_leader_resign(name text, leader_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_leader_resign(name text, leader_id text) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_list(status text, task_type text, "limit" integer, before_id uuid, created_after timestamp with time zone, created_before timestamp with time zone, payload_text text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_list(status text, task_type text, "limit" integer, before_id uuid, created_after timestamp with time zone, created_before timestamp with time zone, payload_text text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_list(status text, task_type text, "limit" integer, before_id uuid, created_after timestamp with time zone, created_before timestamp with time zone, payload_text text) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_mark_failed(id uuid, error text, retry_in interval, runner_id text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_mark_failed(id uuid, error text, retry_in interval, runner_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_mark_failed(id uuid, error text, retry_in interval, runner_id text) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_mark_succeeded(id uuid, output jsonb, runner_id text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_mark_succeeded(id uuid, output jsonb, runner_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_mark_succeeded(id uuid, output jsonb, runner_id text) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_pause_task_type(task_type text, until timestamp with time zone, reason text, source text, updated_by text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_pause_task_type(task_type text, until timestamp with time zone, reason text, source text, updated_by text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_pause_task_type(task_type text, until timestamp with time zone, reason text, source text, updated_by text) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_pending_gauges(OUT due_pending bigint, OUT oldest_pending_age_seconds double precision); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_pending_gauges(OUT due_pending bigint, OUT oldest_pending_age_seconds double precision) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_pending_gauges(OUT due_pending bigint, OUT oldest_pending_age_seconds double precision) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_repair_held(); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_repair_held() FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_repair_held() TO jobqueue_app;


--
-- Name: FUNCTION job_queue_rescue_expired(max_jobs integer); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_rescue_expired(max_jobs integer) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_rescue_expired(max_jobs integer) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_retry(id uuid, actor text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_retry(id uuid, actor text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_retry(id uuid, actor text) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_run_now(id uuid); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_run_now(id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_run_now(id uuid) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_set_runner_idle(idle_for interval); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_set_runner_idle(idle_for interval) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_set_runner_idle(idle_for interval) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_set_settings(processing_enabled boolean, paused_reason text, updated_by text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_set_settings(processing_enabled boolean, paused_reason text, updated_by text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_set_settings(processing_enabled boolean, paused_reason text, updated_by text) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_set_task_limits(task_type text, max_concurrency integer, partition_by text, max_concurrency_per_partition integer, rate_limit integer, rate_interval_ms bigint, source text, updated_by text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_set_task_limits(task_type text, max_concurrency integer, partition_by text, max_concurrency_per_partition integer, rate_limit integer, rate_interval_ms bigint, source text, updated_by text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_set_task_limits(task_type text, max_concurrency integer, partition_by text, max_concurrency_per_partition integer, rate_limit integer, rate_interval_ms bigint, source text, updated_by text) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_take_final_failures(max_rows integer); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_take_final_failures(max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_take_final_failures(max_rows integer) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_throughput(time_window interval); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_throughput(time_window interval) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_throughput(time_window interval) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_throughput_compact(older_than timestamp with time zone); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_throughput_compact(older_than timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_throughput_compact(older_than timestamp with time zone) TO jobqueue_app;


--
-- Name: FUNCTION job_queue_wake_idle_runners(); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.job_queue_wake_idle_runners() FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.job_queue_wake_idle_runners() TO jobqueue_app;


--
-- Name: FUNCTION like_pattern(text text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.like_pattern(text text) FROM PUBLIC;


--
-- Name: PROCEDURE lock_down(); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON PROCEDURE jobqueue.lock_down() FROM PUBLIC;


--
-- Name: PROCEDURE lock_down_module(IN module_schema text, IN app_functions text[]); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON PROCEDURE jobqueue.lock_down_module(IN module_schema text, IN app_functions text[]) FROM PUBLIC;


--
-- Name: FUNCTION payload_limit_problem(doc jsonb); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.payload_limit_problem(doc jsonb) FROM PUBLIC;


--
-- Name: FUNCTION pg_net_mask_keys(command text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.pg_net_mask_keys(command text) FROM PUBLIC;


--
-- Name: FUNCTION processing_switch_key(); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.processing_switch_key() FROM PUBLIC;


--
-- Name: FUNCTION recount_job_statuses(); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.recount_job_statuses() FROM PUBLIC;


--
-- Name: PROCEDURE set_app_execute(IN names text[]); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON PROCEDURE jobqueue.set_app_execute(IN names text[]) FROM PUBLIC;


--
-- Name: FUNCTION toggle_cron_job(job_name text, new_active boolean); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.toggle_cron_job(job_name text, new_active boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.toggle_cron_job(job_name text, new_active boolean) TO jobqueue_app;


--
-- Name: FUNCTION trim_cron_job_runs(older_than timestamp with time zone, batch_size integer); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.trim_cron_job_runs(older_than timestamp with time zone, batch_size integer) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.trim_cron_job_runs(older_than timestamp with time zone, batch_size integer) TO jobqueue_app;


--
-- Name: FUNCTION update_cron_schedule(job_name text, new_schedule text); Type: ACL; Schema: jobqueue; Owner: -
--

REVOKE ALL ON FUNCTION jobqueue.update_cron_schedule(job_name text, new_schedule text) FROM PUBLIC;
GRANT ALL ON FUNCTION jobqueue.update_cron_schedule(job_name text, new_schedule text) TO jobqueue_app;


--
-- PostgreSQL database dump complete
--
