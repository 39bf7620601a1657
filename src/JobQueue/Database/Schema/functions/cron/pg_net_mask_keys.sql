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
