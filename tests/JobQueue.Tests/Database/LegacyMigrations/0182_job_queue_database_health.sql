-- Health signals of the database under the queue (GET admin/job-queue/health, merged into its
-- answer by the library), for the failure a SKIP LOCKED queue suffers most from: a held xmin
-- horizon. While any transaction of this database stays open (or a prepared transaction, or a
-- replication slot, holds an old xmin), no row version that died after it started can be removed,
-- so every claimed and finished job leaves dead rows and dead index entries behind.
--
--   oldestTransactionAgeSeconds  the oldest open transaction of this database (or prepared
--                                transaction), in seconds, other than the health read itself; the
--                                schema owner needs pg_read_all_stats to see the sessions of other
--                                roles (infra/local/pg.sh grants it; README, "When health grows")
--   xminHorizonAge               how many transactions the oldest xmin still held (by any session
--                                of this database, prepared transaction or replication slot) lags
--                                behind: visible whatever the privileges
--   deadRows                     the statistics' estimate of dead row versions per queue table (the jobs,
--                                their attempts, and the status counters of 0140)

CREATE OR REPLACE FUNCTION jobqueue.job_queue_database_health()
RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = jobqueue, pg_temp
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

CALL jobqueue.lock_down();
CALL jobqueue.grant_app_execute('job\_queue\_database\_health');
