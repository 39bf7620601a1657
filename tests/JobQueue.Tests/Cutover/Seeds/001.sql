-- Seed 001 (the auto-sync team): public.job_queue of its own shape (job_type, scheduled_at, sync_id,
-- statuses pending/processing/processed/skipped, error_message, no attempts), a partial unique index
-- against duplicates, RLS (service role full access, users read their syncs' jobs), and the trigger
-- schedule_first_reminder on auto_syncs that inserts into job_queue by name. No RPCs, no pause switch.
-- The service role key is a database setting (current_setting('app.settings.service_role_key')).
CREATE TABLE public.auto_syncs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organizer_id uuid,
  event_name text NOT NULL,
  status text NOT NULL DEFAULT 'running',
  started_at timestamptz DEFAULT now(),
  paused_at timestamptz
);

CREATE TABLE public.job_queue (
  id uuid PRIMARY KEY,
  sync_id uuid REFERENCES public.auto_syncs(id) ON DELETE CASCADE,
  job_type text CHECK (job_type IN ('reminder_24h', 'pause_check_48h')),
  scheduled_at timestamptz NOT NULL,
  status text DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'processed', 'skipped')),
  created_at timestamptz DEFAULT now(),
  processed_at timestamptz,
  error_message text
);
CREATE UNIQUE INDEX idx_job_queue_one_pending_per_type ON public.job_queue (sync_id, job_type) WHERE status = 'pending';
CREATE INDEX idx_job_queue_due ON public.job_queue (scheduled_at) WHERE status = 'pending';
ALTER TABLE public.job_queue ENABLE ROW LEVEL SECURITY;
CREATE POLICY "service role full access" ON public.job_queue FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY "users read own sync jobs" ON public.job_queue FOR SELECT TO authenticated
  USING (EXISTS (SELECT 1 FROM public.auto_syncs a WHERE a.id = job_queue.sync_id));

CREATE FUNCTION public.schedule_first_reminder() RETURNS trigger
 LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
  IF NEW.status = 'running' THEN
    BEGIN
      INSERT INTO job_queue (id, sync_id, job_type, scheduled_at, status)
      VALUES (gen_random_uuid(), NEW.id, 'reminder_24h', now() + interval '24 hours', 'pending');
    EXCEPTION WHEN unique_violation THEN
      RAISE WARNING 'reminder already scheduled for %', NEW.id;
    END;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER on_auto_sync_created AFTER INSERT ON public.auto_syncs FOR EACH ROW EXECUTE FUNCTION public.schedule_first_reminder();

INSERT INTO public.auto_syncs (id, event_name, status, started_at) VALUES
  ('10000000-0000-4000-8000-000000000001', 'Friday practice', 'running', now() - interval '1 hour'),
  ('10000000-0000-4000-8000-000000000002', 'Saturday match', 'running', now() - interval '3 days'),
  ('10000000-0000-4000-8000-000000000003', 'Old event', 'completed', now() - interval '9 days');
-- the trigger made a reminder for the first two; the older one moved on: its reminder is being
-- processed, a pause check is due, and history
UPDATE public.job_queue SET status = 'processing' WHERE sync_id = '10000000-0000-4000-8000-000000000002';
INSERT INTO public.job_queue (id, sync_id, job_type, scheduled_at, status, created_at, processed_at, error_message) VALUES
  ('11000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002', 'pause_check_48h', now() - interval '5 minutes', 'pending', now() - interval '2 days', NULL, NULL),
  ('11000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000003', 'reminder_24h', now() - interval '8 days', 'processed', now() - interval '9 days', now() - interval '8 days', NULL),
  ('11000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000003', 'pause_check_48h', now() - interval '7 days', 'skipped', now() - interval '8 days', now() - interval '7 days', 'sync already completed');
