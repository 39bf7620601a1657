-- Seed 002 (the Vercel worker team): job_queue of JobQueue's shape, the four RPCs with the notes'
-- argument names (enqueue returns the new row; claim(limit); mark_succeeded(id, output);
-- mark_failed(id, error, retry_in) return booleans), the pause switch paused with a reason, and the
-- worker's endpoint and runner secret in Supabase Vault. The adopted jobs' task type coach_digest has a
-- test handler.
CREATE TABLE public.job_queue (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  task_type text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL DEFAULT 'pending',
  run_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 3,
  last_error text,
  output jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  CONSTRAINT job_queue_status_check CHECK (status = ANY (ARRAY['pending', 'processing', 'succeeded', 'failed']))
);
CREATE INDEX job_queue_pending_idx ON public.job_queue (run_at) WHERE status = 'pending';
ALTER TABLE public.job_queue ENABLE ROW LEVEL SECURITY;
CREATE POLICY "service role manages jobs" ON public.job_queue FOR ALL TO service_role USING (true) WITH CHECK (true);

CREATE TABLE public.job_queue_settings (
  id integer PRIMARY KEY DEFAULT 1,
  processing_enabled boolean NOT NULL DEFAULT true,
  paused_reason text,
  updated_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO public.job_queue_settings (id, processing_enabled, paused_reason) VALUES (1, false, 'Game Platform maintenance window');

CREATE FUNCTION public.job_queue_enqueue(task_type text, payload jsonb DEFAULT '{}'::jsonb, run_at timestamptz DEFAULT now(), max_attempts integer DEFAULT 3)
 RETURNS public.job_queue LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  INSERT INTO public.job_queue (task_type, payload, run_at, max_attempts) VALUES ($1, COALESCE($2, '{}'), COALESCE($3, now()), COALESCE($4, 3)) RETURNING *
$$;
CREATE FUNCTION public.job_queue_claim("limit" integer DEFAULT 5) RETURNS SETOF public.job_queue
 LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  UPDATE public.job_queue j SET status = 'processing', attempts = j.attempts + 1
   WHERE j.id IN (SELECT id FROM public.job_queue WHERE status = 'pending' AND run_at <= now() ORDER BY run_at LIMIT $1 FOR UPDATE SKIP LOCKED)
  RETURNING j.*
$$;
CREATE FUNCTION public.job_queue_mark_succeeded(id uuid, output jsonb DEFAULT NULL) RETURNS boolean
 LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  UPDATE public.job_queue SET status = 'succeeded', output = $2, completed_at = now() WHERE job_queue.id = $1 RETURNING true
$$;
CREATE FUNCTION public.job_queue_mark_failed(id uuid, error text, retry_in interval DEFAULT NULL) RETURNS boolean
 LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  UPDATE public.job_queue SET status = CASE WHEN $3 IS NOT NULL AND attempts < max_attempts THEN 'pending' ELSE 'failed' END,
         run_at = COALESCE(now() + $3, run_at), last_error = $2, completed_at = CASE WHEN $3 IS NULL THEN now() END
   WHERE job_queue.id = $1 RETURNING true
$$;

SELECT vault.create_secret('{{receiver}}/api/jobs/run', 'job_queue_worker_endpoint');
SELECT vault.create_secret('{{runner_secret}}', 'job_queue_runner_secret');

INSERT INTO public.job_queue (id, task_type, payload, status, run_at, attempts, max_attempts, last_error, created_at) VALUES
  ('20000000-0000-4000-8000-000000000001', 'coach_digest', '{"coachId": "c-10"}', 'pending', now() - interval '2 minutes', 0, 3, NULL, now() - interval '5 minutes'),
  ('20000000-0000-4000-8000-000000000002', 'coach_digest', '{"coachId": "c-11"}', 'pending', now() + interval '6 hours', 2, 3, 'Game Platform answered 429', now() - interval '1 day'),
  ('20000000-0000-4000-8000-000000000003', 'coach_digest', '{"coachId": "c-12"}', 'failed', now() - interval '2 days', 3, 3, 'coach not found', now() - interval '3 days'),
  ('20000000-0000-4000-8000-000000000004', 'coach_digest', '{"coachId": "c-13"}', 'succeeded', now() - interval '1 day', 1, 3, NULL, now() - interval '1 day');
