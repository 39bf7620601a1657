-- A pg_cron command with the keys Supabase issues masked: JWTs (eyJ...) become 'redacted-jwt',
-- sb_secret_ / sb_publishable_ keys 'redacted-key'. Used by get_pg_net_cron_jobs, so that no key
-- leaves the database. Internal.
CREATE OR REPLACE FUNCTION jobqueue.pg_net_mask_keys(command text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
  SELECT regexp_replace(
           regexp_replace(command, 'eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*', 'redacted-jwt', 'g'),
           'sb_(secret|publishable)_[A-Za-z0-9_-]+', 'redacted-key', 'g');
$function$;
