using JobQueue.Database;
using JobQueue.Server;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static JobQueue.Tests.Database.EmptyDatabase;

namespace JobQueue.Tests.Database;

/// <summary>
/// Nothing in <c>public</c> unless asked: on a database that already runs a queue of its own (the
/// seeds' <c>public.job_queue</c>, its RPCs of the same names, a settings table, RLS), the install
/// succeeds and leaves every one of those objects as it was; the compatibility wrappers are made
/// only when asked, and never over a function that is not JobQueue's.
/// </summary>
public sealed class PublicSchemaTests
{
    /// <summary>A team's own queue as the seeds describe it (seed 000's shape).</summary>
    private const string SeedQueue = """
        CREATE TABLE public.job_queue (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          task_type text NOT NULL,
          payload jsonb NOT NULL DEFAULT '{}'::jsonb,
          status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'succeeded', 'failed', 'cancelled')),
          run_at timestamptz NOT NULL DEFAULT now(),
          attempts int NOT NULL DEFAULT 0,
          max_attempts int NOT NULL DEFAULT 5,
          last_error text,
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now());
        CREATE INDEX job_queue_status_run_at_idx ON public.job_queue (status, run_at);
        CREATE INDEX job_queue_task_type_idx ON public.job_queue (task_type);
        CREATE TABLE public.job_queue_settings (id int PRIMARY KEY DEFAULT 1, processing_enabled boolean NOT NULL DEFAULT true);
        INSERT INTO public.job_queue_settings DEFAULT VALUES;
        ALTER TABLE public.job_queue ENABLE ROW LEVEL SECURITY;
        CREATE POLICY job_queue_service_role ON public.job_queue FOR ALL USING (current_user = session_user);
        CREATE FUNCTION public.job_queue_enqueue(p_task_type text, p_payload jsonb DEFAULT '{}'::jsonb, p_run_at timestamptz DEFAULT now())
          RETURNS uuid LANGUAGE sql AS $$
            INSERT INTO public.job_queue (task_type, payload, run_at) VALUES (p_task_type, p_payload, p_run_at) RETURNING id $$;
        CREATE FUNCTION public.job_queue_claim(p_limit int DEFAULT 5) RETURNS SETOF public.job_queue LANGUAGE sql AS $$
            UPDATE public.job_queue q SET status = 'processing', attempts = q.attempts + 1, updated_at = now()
             WHERE q.id IN (SELECT id FROM public.job_queue WHERE status = 'pending' AND run_at <= now()
                             ORDER BY run_at LIMIT p_limit FOR UPDATE SKIP LOCKED)
            RETURNING q.* $$;
        CREATE FUNCTION public.job_queue_mark_succeeded(p_id uuid) RETURNS void LANGUAGE sql AS $$
            UPDATE public.job_queue SET status = 'succeeded', updated_at = now() WHERE id = p_id $$;
        CREATE FUNCTION public.job_queue_mark_failed(p_id uuid, p_error text) RETURNS void LANGUAGE sql AS $$
            UPDATE public.job_queue SET status = 'failed', last_error = p_error, updated_at = now() WHERE id = p_id $$;
        SELECT public.job_queue_enqueue('game_platform_sync', '{"coachId":"c-1"}');
        SELECT public.job_queue_enqueue('send_reminder', '{"userId":"u-1"}', now() + interval '24 hours');
        """;

    private const string PublicRows = """
        SELECT jsonb_build_object('jobs', (SELECT jsonb_agg(to_jsonb(q) ORDER BY q.id) FROM public.job_queue q),
                                  'settings', (SELECT jsonb_agg(to_jsonb(s)) FROM public.job_queue_settings s))::text
        """;

    private static DatabaseMigrator Migrator(bool publicWrappers = false) =>
        new(NullLogger<DatabaseMigrator>.Instance, databaseOptions: Options.Create(new DatabaseOptions { PublicWrappers = publicWrappers }), modules: EveryModule.Schemas);

    [Fact]
    public Task On_a_database_with_a_queue_of_its_own_the_migrate_command_succeeds_and_leaves_public_as_it_was() =>
        WithAsync(async cs =>
        {
            await ExecuteAsync(cs, SeedQueue);
            var schema = await SchemaDump.DumpAsync(cs, "--schema=public");
            var rows = await ScalarAsync<string>(cs, PublicRows);

            Assert.Equal(0, await MigrateCommand.RunAsync(["migrate", cs]));

            Assert.Equal(schema, await SchemaDump.DumpAsync(cs, "--schema=public"));
            Assert.Equal(rows, await ScalarAsync<string>(cs, PublicRows));
            // nor the owner's defaults: a function the team creates afterwards is executable as it was before
            await ExecuteAsync(cs, "CREATE FUNCTION public.team_rpc_after_install() RETURNS int LANGUAGE sql AS 'SELECT 1'");
            Assert.True(await ScalarAsync<bool>(cs, "SELECT has_function_privilege('public', 'public.team_rpc_after_install()', 'EXECUTE')"));
            // JobQueue's own queue is beside it, in its schema
            Assert.Equal(0L, await ScalarAsync<long>(cs, "SELECT count(*) FROM jobqueue.job_queue"));
            var id = await ScalarAsync<Guid>(cs, "SELECT jobqueue.job_queue_enqueue('game_platform_sync')");
            Assert.Equal("pending", await ScalarAsync<string>(cs, "SELECT status FROM jobqueue.job_queue WHERE id = $1", id));
        });

    [Fact]
    public Task The_public_wrappers_are_refused_naming_a_function_that_is_not_JobQueues_and_nothing_changes() =>
        WithAsync(async cs =>
        {
            await ExecuteAsync(cs, SeedQueue);
            await Migrator().MigrateAsync(cs);
            var schema = await SchemaDump.DumpAsync(cs, "--schema=public");

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrator(publicWrappers: true).MigrateAsync(cs));
            Assert.Contains("public.job_queue_claim(integer) is not JobQueue's", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("public.public.", refused.Message, StringComparison.Ordinal);
            Assert.Contains("is not JobQueue's", refused.Message, StringComparison.Ordinal);
            Assert.Equal(schema, await SchemaDump.DumpAsync(cs, "--schema=public"));

            // the migrate command says the same and exits 1
            Assert.Equal(1, await MigrateCommand.RunAsync(["migrate", cs, "--Database:PublicWrappers=true"]));
            Assert.Equal(schema, await SchemaDump.DumpAsync(cs, "--schema=public"));
        });

    [Fact]
    public Task Asked_for_the_wrappers_are_made_callable_by_the_app_role_and_removed_again_when_the_setting_goes() =>
        WithAsync(async cs =>
        {
            await Migrator().MigrateAsync(cs);
            Assert.Equal(0L, await ScalarAsync<long>(cs, "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace"));

            await Migrator(publicWrappers: true).MigrateAsync(cs);
            Assert.Equal(21L, await ScalarAsync<long>(cs, "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace"));
            var runtime = LocalPostgres.AsRuntimeLogin(cs);
            var id = await ScalarAsync<Guid>(runtime, "SELECT public.job_queue_enqueue('from_a_legacy_caller')");
            Assert.Equal("from_a_legacy_caller", await ScalarAsync<string>(cs, "SELECT task_type FROM jobqueue.job_queue WHERE id = $1", id));
            Assert.False(await ScalarAsync<bool>(cs, "SELECT has_function_privilege('public', 'public.job_queue_enqueue(text,jsonb,timestamptz,integer,text,text,text,integer,text,text)', 'EXECUTE')"));

            await Migrator().MigrateAsync(cs);
            Assert.Equal(0L, await ScalarAsync<long>(cs, "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace"));
            Assert.Equal(1L, await ScalarAsync<long>(cs, "SELECT count(*) FROM jobqueue.job_queue"));
        });
}
