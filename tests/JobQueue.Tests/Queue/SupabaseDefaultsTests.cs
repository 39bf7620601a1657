using JobQueue.Database;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace JobQueue.Tests.Queue;

/// <summary>
/// A database with Supabase's default grants: the roles anon, authenticated and service_role get ALL on
/// every table, function and sequence the owner creates (per schema public, as Supabase does, and
/// globally, which is stricter), USAGE on public, and here even CREATE on public (PostgreSQL 14's
/// default), migrated by a non-superuser owner. After the migrations neither anon nor authenticated
/// reaches anything of JobQueue, and no SECURITY DEFINER function resolves names in a schema they
/// can write to.
/// </summary>
public sealed class SupabaseDefaultsTests : IAsyncLifetime
{
    private static readonly string[] Untrusted = ["anon", "authenticated"];
    private readonly string suffix = Guid.NewGuid().ToString("N")[..8];
    private string owner = "";
    private string database = "";
    private string anonLogin = "";
    private NpgsqlDataSource admin = null!;
    private NpgsqlDataSource ownerSource = null!;

    public async Task InitializeAsync()
    {
        owner = "jq_t_supa_owner_" + suffix;
        database = "jq_t_supa_" + suffix;
        anonLogin = "jq_t_supa_anon_" + suffix;
        admin = NpgsqlDataSource.Create(LocalPostgres.RunScript("admin-url"));
        await ExecuteAsync(admin, """
            DO $$
            DECLARE r text;
            BEGIN
              FOREACH r IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
                  BEGIN
                    EXECUTE format('CREATE ROLE %I NOLOGIN', r);
                  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                  END;
                END IF;
              END LOOP;
            END $$
            """);
        await ExecuteAsync(admin, $"CREATE ROLE {owner} LOGIN PASSWORD 'owner-pw' NOSUPERUSER CREATEROLE");
        await ExecuteAsync(admin, $"CREATE ROLE {anonLogin} LOGIN PASSWORD 'anon-pw' IN ROLE anon");
        await ExecuteAsync(admin, $"CREATE DATABASE {database} OWNER {owner}");

        var onDatabase = new NpgsqlConnectionStringBuilder(LocalPostgres.RunScript("admin-url")) { Database = database, Pooling = false };
        await using (var setup = NpgsqlDataSource.Create(onDatabase.ConnectionString))
        {
            await ExecuteAsync(setup, $"""
                GRANT USAGE, CREATE ON SCHEMA public TO anon, authenticated, service_role;
                ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
                ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role;
                ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
                ALTER DEFAULT PRIVILEGES FOR ROLE {owner} GRANT ALL ON TABLES TO anon, authenticated, service_role;
                ALTER DEFAULT PRIVILEGES FOR ROLE {owner} GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role;
                ALTER DEFAULT PRIVILEGES FOR ROLE {owner} GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
                """);
        }

        var ownerCs = new NpgsqlConnectionStringBuilder(LocalPostgres.ConnectionString)
        {
            Database = database, Username = owner, Password = "owner-pw", Pooling = false,
        }.ConnectionString;
        // with the compatibility wrappers in public: the most a migration puts where anon could look
        await new DatabaseMigrator(NullLogger<DatabaseMigrator>.Instance,
            databaseOptions: Microsoft.Extensions.Options.Options.Create(new DatabaseOptions { PublicWrappers = true }), modules: EveryModule.Schemas).MigrateAsync(ownerCs);
        ownerSource = NpgsqlDataSource.Create(ownerCs);
    }

    public async Task DisposeAsync()
    {
        await ownerSource.DisposeAsync();
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        await ExecuteAsync(admin, $"DROP ROLE IF EXISTS {anonLogin}");
        await ExecuteAsync(admin, $"DROP OWNED BY {owner}; DROP ROLE IF EXISTS {owner}");
        await admin.DisposeAsync();
    }

    [Fact]
    public async Task Neither_anon_nor_authenticated_can_execute_read_or_write_anything_of_jobqueue()
    {
        foreach (var role in Untrusted)
        {
            var reachable = await ScalarAsync<string>($"""
                SELECT string_agg(what, ', ' ORDER BY what) FROM (
                  SELECT 'function ' || p.oid::regprocedure AS what
                    FROM pg_proc p
                   WHERE p.proowner = '{owner}'::regrole AND has_function_privilege('{role}', p.oid, 'EXECUTE')
                  UNION ALL
                  SELECT c.relkind::text || ' ' || c.oid::regclass::text
                    FROM pg_class c
                   WHERE c.relowner = '{owner}'::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                     AND has_table_privilege('{role}', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
                  UNION ALL
                  SELECT 'sequence ' || c.oid::regclass::text
                    FROM pg_class c
                   WHERE c.relowner = '{owner}'::regrole
                     AND CASE WHEN c.relkind = 'S' THEN has_sequence_privilege('{role}', c.oid, 'USAGE, SELECT, UPDATE') ELSE false END
                  UNION ALL
                  SELECT 'schema ' || n.nspname
                    FROM pg_namespace n
                   WHERE n.nspowner = '{owner}'::regrole AND has_schema_privilege('{role}', n.oid, 'USAGE, CREATE')
                ) x
                """);
            Assert.True(reachable is null, $"{role} reaches: {reachable}");
        }

        // what was counted is what there is: the functions, the queue tables, the tick table, the journals,
        // and the Game Platform module's schema (game_platform: its own migration set)
        Assert.True(await ScalarAsync<long>($"SELECT count(*) FROM pg_proc WHERE proowner = '{owner}'::regrole") >= 40);
        Assert.Equal(8L, await ScalarAsync<long>($"""
            SELECT count(*) FROM pg_class
             WHERE relowner = '{owner}'::regrole AND oid::regclass::text IN
                   ('jobqueue.job_queue', 'jobqueue.job_queue_attempts', 'jobqueue.job_queue_schedule_ticks',
                    'jobqueue.job_queue_schema_versions', 'jobqueue.job_queue_attempts_id_seq',
                    'game_platform.game_platform_competitors', 'game_platform.game_platform_competitors_id_seq', 'game_platform.schema_versions')
            """));
    }

    [Fact]
    public async Task A_login_in_the_anon_role_is_refused_by_every_name_it_could_try()
    {
        var cs = new NpgsqlConnectionStringBuilder(LocalPostgres.ConnectionString)
        {
            Database = database, Username = anonLogin, Password = "anon-pw", Pooling = false,
        }.ConnectionString;
        foreach (var sql in new[]
        {
            "SELECT job_queue_enqueue('t', '{}')", "SELECT count(*) FROM job_queue_claim(1)", "SELECT * FROM job_queue_list()",
            "SELECT * FROM job_queue_set_settings(false, 'x')", "SELECT * FROM get_cron_jobs()",
            "SELECT * FROM create_cron_job('x', '* * * * *', 't')", "SELECT delete_cron_job('x')",
            "SELECT jobqueue.job_queue_enqueue('t', '{}')", "SELECT count(*) FROM jobqueue.job_queue",
            "SELECT count(*) FROM jobqueue.job_queue_schedule_ticks", "DELETE FROM jobqueue.job_queue_schedule_ticks",
            "SELECT count(*) FROM jobqueue.job_queue_schema_versions",
        })
        {
            await using var conn = new NpgsqlConnection(cs);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, conn);
            var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteScalarAsync());
            Assert.True(e.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {e.SqlState} {e.MessageText}");
        }
    }

    [Fact]
    public async Task No_security_definer_function_has_a_schema_on_its_search_path_that_anon_or_authenticated_can_write_to()
    {
        var unsafeOnes = await ScalarAsync<string>($"""
            SELECT string_agg(p.oid::regprocedure::text, ', ')
              FROM pg_proc p
             WHERE p.proowner = '{owner}'::regrole AND p.prosecdef
               AND (p.proconfig IS NULL OR NOT EXISTS (SELECT FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')
                    OR EXISTS (
                      SELECT FROM unnest(p.proconfig) c, regexp_split_to_table(substr(c, 13), ',\s*') s
                       WHERE c LIKE 'search_path=%' AND s NOT IN ('pg_temp', 'pg_catalog')
                         AND (to_regnamespace(s) IS NULL
                              OR has_schema_privilege('anon', to_regnamespace(s), 'CREATE')
                              OR has_schema_privilege('authenticated', to_regnamespace(s), 'CREATE'))))
            """);
        Assert.True(unsafeOnes is null, "SECURITY DEFINER with a writable or missing search_path: " + unsafeOnes);
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var cmd = ownerSource.CreateCommand(sql);
        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource source, string sql)
    {
        await using var cmd = source.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }
}
