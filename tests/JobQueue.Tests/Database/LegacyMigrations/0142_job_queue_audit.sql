-- The audit log: every admin action (who, what, target, when, outcome), written by the API's admin
-- endpoints on both hosts (JobQueue.Api.AdminAudit), read by GET admin/audit, pruned by the cleanup
-- job. The app may only add entries, read them and delete old ones (these functions); no function
-- changes an entry.

CREATE TABLE IF NOT EXISTS jobqueue.job_queue_audit (
  id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text        NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
  action      text        NOT NULL CHECK (length(action) BETWEEN 1 AND 50),
  target      text        CHECK (length(target) <= 300),
  outcome     text        NOT NULL CHECK (outcome IN ('ok', 'refused', 'error')),
  status      integer     NOT NULL CHECK (status BETWEEN 100 AND 599),
  detail      text        CHECK (length(detail) <= 1000),
  request_id  text        CHECK (length(request_id) <= 200)
);

-- pruning by time (the list reads the primary key, newest first)
CREATE INDEX IF NOT EXISTS job_queue_audit_at_idx ON jobqueue.job_queue_audit (at);

CREATE OR REPLACE FUNCTION jobqueue.job_queue_audit_record(
  actor text, action text, target text, outcome text, status integer, detail text DEFAULT NULL, request_id text DEFAULT NULL)
RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
  INSERT INTO job_queue_audit (actor, action, target, outcome, status, detail, request_id)
  VALUES (left($1, 200), left($2, 50), left($3, 300), $4, $5, left($6, 1000), left($7, 200))
  RETURNING id;
$$;

-- newest first; before_id: the last id of the previous page; action / actor: exact matches
CREATE OR REPLACE FUNCTION jobqueue.job_queue_audit_list(
  "limit" integer DEFAULT 50, before_id bigint DEFAULT NULL, action text DEFAULT NULL, actor text DEFAULT NULL)
RETURNS SETOF jobqueue.job_queue_audit
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = jobqueue, pg_temp
AS $$
  SELECT * FROM job_queue_audit a
   WHERE ($2 IS NULL OR a.id < $2) AND ($3 IS NULL OR a.action = $3) AND ($4 IS NULL OR a.actor = $4)
   ORDER BY a.id DESC
   LIMIT LEAST(GREATEST(COALESCE($1, 50), 1), 500);
$$;

-- one bounded batch of entries older than older_than per call (the cleanup job calls it until done)
CREATE OR REPLACE FUNCTION jobqueue.job_queue_audit_prune(older_than timestamptz, batch_size integer DEFAULT 1000)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobqueue, pg_temp
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

CALL jobqueue.lock_down();
CALL jobqueue.grant_app_execute('job\_queue\_audit\_%');
