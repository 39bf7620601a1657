-- The queue's health in one round trip (QueueHealthStore.GetHealthAsync:
-- GET admin/job-queue/health, the dashboard, QueueGaugeSampler): the counts by status
-- (job_queue_status_counts), the pause switch, the pending gauges (job_queue_pending_gauges), up to
-- 50 stuck jobs (expired leases, from the lease index), the latest recent_limit failures (from the
-- index of jobs that ended badly, newest by id) and attempts (the attempt history's primary key).
-- Every part reads a bounded number of index entries, whatever the size of the tables.
CREATE OR REPLACE FUNCTION jobqueue.job_queue_health(recent_limit integer DEFAULT 10)
 RETURNS jsonb
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'jobqueue', 'pg_temp'
AS $function$
  SELECT jsonb_build_object(
    'counts', (SELECT jsonb_build_object(
                 'pending',    COALESCE(sum(c.pending), 0),
                 'processing', COALESCE(sum(c.processing), 0),
                 'succeeded',  COALESCE(sum(c.succeeded), 0),
                 'failed',     COALESCE(sum(c.failed), 0),
                 'cancelled',  COALESCE(sum(c.cancelled), 0))
               FROM job_queue_status_counts c),
    'processingEnabled', (SELECT s.processing_enabled FROM job_queue_settings s WHERE s.id),
    'pausedReason', (SELECT s.paused_reason FROM job_queue_settings s WHERE s.id),
    'duePending', g.due_pending,
    'oldestPendingAgeSeconds', g.oldest_pending_age_seconds,
    'stuckJobs', (SELECT COALESCE(jsonb_agg(jsonb_build_object(
                            'id', q.id, 'taskType', q.task_type, 'lockedBy', q.locked_by,
                            'lockedUntil', q.locked_until, 'attempts', q.attempts)), '[]'::jsonb)
                    FROM (SELECT * FROM job_queue WHERE status = 'processing' AND locked_until < now()
                          ORDER BY locked_until LIMIT 50) q),
    'recentFailures', (SELECT COALESCE(jsonb_agg(jsonb_build_object(
                                 'id', f.id, 'taskType', f.task_type, 'attempts', f.attempts,
                                 'lastError', f.last_error, 'completedAt', f.completed_at)
                                 ORDER BY f.completed_at DESC NULLS LAST), '[]'::jsonb)
                         FROM (SELECT * FROM job_queue WHERE status = 'failed' ORDER BY id DESC LIMIT $1) f),
    'recentRuns', (SELECT COALESCE(jsonb_agg(jsonb_build_object(
                             'jobId', a.job_id, 'attempt', a.attempt, 'runnerId', a.runner_id,
                             'outcome', a.outcome, 'finishedAt', a.finished_at, 'durationMs', a.duration_ms,
                             'error', a.error)), '[]'::jsonb)
                     FROM (SELECT * FROM job_queue_attempts ORDER BY id DESC LIMIT $1) a),
    'checkedAt', now())
  FROM job_queue_pending_gauges() g;
$function$;
