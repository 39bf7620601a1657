-- A grantee oid of an acl (aclexplode) as GRANT / REVOKE write it: the role's name, or PUBLIC (oid
-- 0). Used by lock_down.
CREATE OR REPLACE FUNCTION jobqueue.grantee_name(grantee oid)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$ SELECT CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE grantee::regrole::text END $function$;
