-- NULL when the document is within the payload limits, else what is wrong with it: larger than 1
-- MiB as stored, or a value nested 32 levels below the root or deeper (the runner reads JSON up to
-- 64 levels; the API accepts bodies 32 levels deep). The depth test reads the whole document, so it
-- runs only from 256 bytes up (a value at level 32 needs at least 260 bytes). The enqueues refuse
-- such a payload with 22023; job_queue_complete replaces such an output by a note saying why.
-- Internal: not granted.
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
