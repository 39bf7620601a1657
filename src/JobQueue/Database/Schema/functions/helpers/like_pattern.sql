-- '%text%' with LIKE's wildcards and escape character taken literally (NULL for NULL): the payload
-- text of the job filter (job_filter_clause). Internal.
CREATE OR REPLACE FUNCTION jobqueue.like_pattern(text text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  SELECT CASE WHEN $1 IS NULL THEN NULL
              ELSE '%' || replace(replace(replace($1, '\', '\\'), '%', '\%'), '_', '\_') || '%' END;
$function$;
