-- A page of the audit log of admin actions, newest first (AuditStore.ListAsync: GET admin/audit).
-- before_id: the last id of the previous page; action / actor: exact matches; limit: clamped to
-- 1..500.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_audit_list("limit" integer DEFAULT 50, before_id bigint DEFAULT NULL::bigint, action text DEFAULT NULL::text, actor text DEFAULT NULL::text)
 RETURNS SETOF jobqueue.job_queue_audit
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  SELECT * FROM job_queue_audit a
   WHERE ($2 IS NULL OR a.id < $2) AND ($3 IS NULL OR a.action = $3) AND ($4 IS NULL OR a.actor = $4)
   ORDER BY a.id DESC
   LIMIT LEAST(GREATEST(COALESCE($1, 50), 1), 500);
$function$;
