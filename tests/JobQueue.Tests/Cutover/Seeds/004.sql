-- Seed 004 (the stats team): no job_queue; a background_job_status table with its updated_at trigger,
-- and edge functions called nightly. Its pg_cron job calls one of them with a key written into the
-- command in plain text (the cut-over replaces it by a secret reference and flags it for rotation).
CREATE TABLE public.background_job_status (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  job_type TEXT NOT NULL DEFAULT 'stats_update',
  job_payload JSONB NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'processing', 'completed', 'failed')),
  started_at TIMESTAMPTZ,
  completed_at TIMESTAMPTZ,
  error_message TEXT,
  results JSONB,
  created_at TIMESTAMPTZ DEFAULT NOW(),
  updated_at TIMESTAMPTZ DEFAULT NOW()
);
CREATE INDEX idx_background_job_status_created_at ON public.background_job_status(created_at DESC);
CREATE INDEX idx_background_job_status_status ON public.background_job_status(status);
CREATE OR REPLACE FUNCTION public.update_updated_at_column() RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ language 'plpgsql';
CREATE TRIGGER update_background_job_status_updated_at BEFORE UPDATE ON public.background_job_status
  FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
INSERT INTO public.background_job_status (job_payload, status, started_at, completed_at) VALUES
  ('{"triggeredBy": "cron", "requestId": "r-1"}', 'completed', now() - interval '1 day', now() - interval '1 day' + interval '40 seconds');
