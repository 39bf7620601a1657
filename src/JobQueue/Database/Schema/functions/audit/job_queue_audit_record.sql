-- Appends one entry to the audit log (AuditStore.RecordAsync, written by the admin endpoints
-- through AdminAudit on both hosts): who (actor), what (action, e.g. job.retry) on what (target),
-- how it ended (outcome: ok / refused / error, and the HTTP status), a short detail and the request
-- id. Text values are cut to their column limits. Returns the entry's id. No function changes an
-- entry; only job_queue_audit_prune deletes old ones.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_audit_record(actor text, action text, target text, outcome text, status integer, detail text DEFAULT NULL::text, request_id text DEFAULT NULL::text)
 RETURNS bigint
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  INSERT INTO job_queue_audit (actor, action, target, outcome, status, detail, request_id)
  VALUES (left($1, 200), left($2, 50), left($3, 300), $4, $5, left($6, 1000), left($7, 200))
  RETURNING id;
$function$;
