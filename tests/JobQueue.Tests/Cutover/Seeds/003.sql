-- Seed 003 (the bookings team): no queue table of its own; six pg_cron jobs call edge functions with
-- keys from a plain table public.cron_secrets through public.get_secret(key), and a SECURITY DEFINER
-- helper rotates them.
CREATE TABLE public.cron_secrets (
  key text PRIMARY KEY,
  value text NOT NULL,
  description text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE public.cron_secrets ENABLE ROW LEVEL SECURITY;
REVOKE INSERT, UPDATE, DELETE ON public.cron_secrets FROM PUBLIC, anon, authenticated;
CREATE FUNCTION public.get_secret(secret_key text) RETURNS text
 LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ SELECT value FROM public.cron_secrets WHERE key = secret_key $$;
CREATE FUNCTION public.rotate_cron_secret(p_key text, p_value text) RETURNS void
 LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
  UPDATE public.cron_secrets SET value = p_value, updated_at = NOW() WHERE key = p_key;
END;
$$;
REVOKE ALL ON FUNCTION public.get_secret(text), public.rotate_cron_secret(text, text) FROM PUBLIC, anon, authenticated;
INSERT INTO public.cron_secrets (key, value, description) VALUES
  ('supabase_url', '{{receiver}}', 'project URL'),
  ('service_role_key', '{{service_role_key}}', 'service role JWT'),
  ('cron_secret', '{{cron_secret}}', 'escalation orchestration'),
  ('edge_function_url', '{{receiver}}/functions/v1', 'scheduler base URL'),
  ('scheduler_secret_token', '{{scheduler_token}}', 'scheduler token');
