-- Health signals of the database under the queue, merged into job_queue_health's answer by
-- QueueHealthStore.GetHealthAsync (GET admin/job-queue/health), for the failure a SKIP LOCKED queue
-- suffers most from: a held xmin horizon, behind which every claimed and finished job leaves dead
-- rows and index entries that cannot be removed. oldestTransactionAgeSeconds: the oldest open or
-- prepared transaction of this database, other than this read (the schema owner needs
-- pg_read_all_stats to see other roles' sessions); xminHorizonAge: how many transactions the oldest
-- xmin held by a session, prepared transaction or replication slot lags behind; deadRows: the
-- statistics' estimate of dead rows in job_queue, job_queue_attempts and job_queue_status_counts.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_database_health()
 RETURNS jsonb
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
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
$function$;
