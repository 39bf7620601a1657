-- Seed 000 (the game platform team): public.job_queue of the shape JobQueue's own descends from
-- (uuid id, task_type, payload, status pending/processing/succeeded/failed/cancelled, run_at,
-- attempts, max_attempts, last_error, timestamps), RLS limited to service_role and admins, the four
-- RPCs, the job_queue_settings pause switch, and secrets in Supabase Vault (project_url,
-- service_role_key, job_queue_worker_endpoint, job_queue_runner_secret). The adopted jobs' task type
-- notify_coach has a test handler that calls the receiver.
CREATE FUNCTION public.is_admin_user() RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT false $$;

CREATE TABLE public.job_queue (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  task_type text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'succeeded', 'failed', 'cancelled')),
  run_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 3,
  last_error text,
  output jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  completed_at timestamptz
);
CREATE INDEX job_queue_status_run_at_idx ON public.job_queue (status, run_at);
CREATE INDEX job_queue_task_type_idx ON public.job_queue (task_type);
ALTER TABLE public.job_queue ENABLE ROW LEVEL SECURITY;
CREATE POLICY "service role full access" ON public.job_queue FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY "admins read jobs" ON public.job_queue FOR SELECT TO authenticated USING (public.is_admin_user());

CREATE TABLE public.job_queue_settings (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  processing_enabled boolean NOT NULL DEFAULT true,
  paused_reason text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE public.job_queue_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY "service role settings" ON public.job_queue_settings FOR ALL TO service_role USING (true) WITH CHECK (true);
INSERT INTO public.job_queue_settings (processing_enabled, paused_reason) VALUES (true, NULL);

CREATE FUNCTION public.job_queue_enqueue(task_type text, payload jsonb DEFAULT '{}'::jsonb, run_at timestamptz DEFAULT now(), max_attempts integer DEFAULT 3)
 RETURNS uuid LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  INSERT INTO public.job_queue (task_type, payload, run_at, max_attempts)
  VALUES (job_queue_enqueue.task_type, COALESCE(job_queue_enqueue.payload, '{}'::jsonb), COALESCE(job_queue_enqueue.run_at, now()), COALESCE(job_queue_enqueue.max_attempts, 3))
  RETURNING id
$$;
CREATE FUNCTION public.job_queue_claim(p_limit integer DEFAULT 5) RETURNS SETOF public.job_queue
 LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  UPDATE public.job_queue j SET status = 'processing', attempts = j.attempts + 1, started_at = now(), updated_at = now()
   WHERE j.id IN (SELECT id FROM public.job_queue WHERE status = 'pending' AND run_at <= now() ORDER BY run_at LIMIT p_limit FOR UPDATE SKIP LOCKED)
  RETURNING j.*
$$;
CREATE FUNCTION public.job_queue_mark_succeeded(job_id uuid, job_output jsonb DEFAULT NULL) RETURNS void
 LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  UPDATE public.job_queue SET status = 'succeeded', output = job_output, completed_at = now(), updated_at = now() WHERE id = job_id
$$;
CREATE FUNCTION public.job_queue_mark_failed(job_id uuid, error_message text, retry_in interval DEFAULT NULL) RETURNS void
 LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  UPDATE public.job_queue
     SET status = CASE WHEN retry_in IS NOT NULL AND attempts < max_attempts THEN 'pending' ELSE 'failed' END,
         run_at = CASE WHEN retry_in IS NOT NULL THEN now() + retry_in ELSE run_at END,
         last_error = error_message, updated_at = now()
   WHERE id = job_id
$$;
REVOKE ALL ON FUNCTION public.job_queue_enqueue(text, jsonb, timestamptz, integer), public.job_queue_claim(integer),
  public.job_queue_mark_succeeded(uuid, jsonb), public.job_queue_mark_failed(uuid, text, interval) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.job_queue_enqueue(text, jsonb, timestamptz, integer), public.job_queue_claim(integer),
  public.job_queue_mark_succeeded(uuid, jsonb), public.job_queue_mark_failed(uuid, text, interval) TO service_role;

SELECT vault.create_secret('{{receiver}}', 'project_url');
SELECT vault.create_secret('{{service_role_key}}', 'service_role_key');
SELECT vault.create_secret('{{receiver}}/api/jobs/run', 'job_queue_worker_endpoint');
SELECT vault.create_secret('{{runner_secret}}', 'job_queue_runner_secret');

-- the jobs in flight at the cut-over: a reminder due in 24 h, one due now, one a worker was running,
-- a failed one waiting for a retry by hand, and history
INSERT INTO public.job_queue (id, task_type, payload, status, run_at, attempts, max_attempts, last_error, created_at) VALUES
  ('00000000-0000-4000-8000-000000000001', 'notify_coach', '{"coachId": "c-1", "kind": "reminder"}', 'pending', now() + interval '24 hours', 0, 3, NULL, now() - interval '2 hours'),
  ('00000000-0000-4000-8000-000000000002', 'notify_coach', '{"coachId": "c-2"}', 'pending', now() - interval '1 minute', 1, 5, 'timeout', now() - interval '1 hour'),
  ('00000000-0000-4000-8000-000000000003', 'notify_coach', '{"coachId": "c-3"}', 'processing', now() - interval '10 minutes', 1, 3, NULL, now() - interval '30 minutes'),
  ('00000000-0000-4000-8000-000000000004', 'notify_coach', '{"coachId": "c-4"}', 'failed', now() - interval '1 day', 3, 3, 'Game Platform answered 500', now() - interval '2 days'),
  ('00000000-0000-4000-8000-000000000005', 'notify_coach', '{"coachId": "c-5"}', 'succeeded', now() - interval '3 days', 1, 3, NULL, now() - interval '3 days');
