-- NULL when the document is within the limits, else what is wrong with it (internal: not granted)
CREATE OR REPLACE FUNCTION jobqueue.payload_limit_problem(doc jsonb)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  SELECT CASE
           WHEN doc IS NULL THEN NULL
           WHEN pg_column_size(doc) > 1048576 THEN 'larger than 1 MiB (1048576 bytes)'
           WHEN pg_column_size(doc) >= 256 AND jsonb_path_exists(doc, 'strict $.**{32 to last}')
             THEN 'nested 32 levels deep or deeper (the limit is 31 levels below the root)'
         END;
$function$;
