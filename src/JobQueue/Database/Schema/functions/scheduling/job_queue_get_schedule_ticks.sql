-- Every schedule's recorded ticks, by name (ScheduleTickStore.GetTicksAsync, read by
-- ScheduleCatchUp to find missed ticks): the last tick fired, by whom and when, the number of
-- missed ticks, and the newest missed tick with the action taken.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_get_schedule_ticks()
 RETURNS SETOF jobqueue.job_queue_schedule_ticks
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  SELECT * FROM job_queue_schedule_ticks ORDER BY name;
$function$;
