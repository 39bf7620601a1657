-- The value of a literal written by format('%L') / quote_literal (plain or E'...'), or NULL when
-- the text is not exactly such a literal (checked by quoting the value again). Parses the commands
-- that cron_admin_adopt_legacy_jobs adopts. Internal.
CREATE OR REPLACE FUNCTION jobqueue.cron_admin_unquote(literal text)
 RETURNS text
 LANGUAGE plpgsql
 IMMUTABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
DECLARE
  v text;
BEGIN
  IF literal ~ '^E''.*''$' THEN
    v := replace(replace(substr(literal, 3, length(literal) - 3), '\\', '\'), '''''', '''');
  ELSIF literal ~ '^''.*''$' THEN
    v := replace(substr(literal, 2, length(literal) - 2), '''''', '''');
  ELSE
    RETURN NULL;
  END IF;
  RETURN CASE WHEN quote_literal(v) = literal THEN v END;
END
$function$;
