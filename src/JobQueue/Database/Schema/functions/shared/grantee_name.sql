-- A role oid of an acl as SQL: 0 is PUBLIC.
CREATE OR REPLACE FUNCTION jobqueue.grantee_name(grantee oid)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$ SELECT CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE grantee::regrole::text END $function$;
