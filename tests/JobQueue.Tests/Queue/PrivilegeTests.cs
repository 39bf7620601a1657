using JobQueue.Tests.Infrastructure;
using Npgsql;

namespace JobQueue.Tests.Queue;

/// <summary>
/// Least privilege: the app role may only call the functions (in schema jobqueue, and the RPC names
/// existing callers use, in public); it owns and may touch nothing else; nobody else may call them.
/// </summary>
public sealed class PrivilegeTests : IAsyncLifetime
{
    private readonly string appLogin = "jq_t_app_" + Guid.NewGuid().ToString("N")[..8];
    private readonly string outsider = "jq_t_out_" + Guid.NewGuid().ToString("N")[..8];
    private TestDatabase db = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        await db.EnablePublicWrappersAsync(); // the RPC names in public, as a team moving from its own queue asks
        await db.ExecuteAsync($"CREATE ROLE {appLogin} LOGIN PASSWORD 'app-pw' IN ROLE jobqueue_app");
        await db.ExecuteAsync($"CREATE ROLE {outsider} LOGIN PASSWORD 'out-pw'");
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        await using var conn = new NpgsqlConnection(LocalPostgres.ConnectionString);
        await conn.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS {appLogin}; DROP ROLE IF EXISTS {outsider}", conn);
        await drop.ExecuteNonQueryAsync();
    }

    private async Task<object?> AsAsync(string login, string password, string sql)
    {
        var cs = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Username = login, Password = password, Pooling = false };
        await using var conn = new NpgsqlConnection(cs.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    [Fact]
    public async Task The_app_role_can_call_the_rpcs_by_both_names_but_not_touch_the_tables()
    {
        var legacy = (Guid)(await AsAsync(appLogin, "app-pw", "SELECT job_queue_enqueue('t', '{}')"))!;
        var qualified = (Guid)(await AsAsync(appLogin, "app-pw", "SELECT jobqueue.job_queue_enqueue('t', '{\"n\":2}')"))!;
        Assert.Equal(legacy, (Guid)(await AsAsync(appLogin, "app-pw", "SELECT id FROM job_queue_claim(1)"))!);
        Assert.Equal(qualified, (Guid)(await AsAsync(appLogin, "app-pw", "SELECT id FROM jobqueue.job_queue_claim(1)"))!);

        foreach (var sql in new[]
        {
            "SELECT count(*) FROM jobqueue.job_queue", "DELETE FROM jobqueue.job_queue_attempts",
            "UPDATE jobqueue.job_queue_settings SET processing_enabled = false", "SELECT count(*) FROM jobqueue.job_queue_schedule_ticks",
            "SELECT count(*) FROM jobqueue.job_queue_schema_versions", "CREATE TABLE jobqueue.intruder (x int)",
            "CALL jobqueue.lock_down()",
        })
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => AsAsync(appLogin, "app-pw", sql));
            Assert.True(e.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {e.SqlState} {e.MessageText}");
        }
    }

    [Fact]
    public async Task A_role_outside_the_app_role_cannot_execute_the_rpcs()
    {
        foreach (var sql in new[]
        {
            "SELECT job_queue_enqueue('t', '{}')", "SELECT count(*) FROM job_queue_claim(1)", "SELECT job_queue_health()",
            "SELECT jobqueue.job_queue_enqueue('t', '{}')", "SELECT count(*) FROM jobqueue.job_queue",
        })
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => AsAsync(outsider, "out-pw", sql));
            Assert.True(e.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {e.SqlState} {e.MessageText}");
        }
    }

    [Fact]
    public async Task Every_app_callable_function_is_security_definer_with_a_search_path_of_the_owners_schema_only()
    {
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_class WHERE relnamespace = 'jobqueue'::regnamespace AND relkind = 'r' AND NOT relrowsecurity"));
        var offenders = await db.ScalarAsync<string>(
            """
            SELECT string_agg(p.oid::regprocedure::text, ', ')
              FROM pg_proc p
             WHERE p.pronamespace = 'jobqueue'::regnamespace AND p.prokind = 'f'
               AND has_function_privilege('jobqueue_app', p.oid, 'EXECUTE')
               AND (NOT p.prosecdef OR p.proconfig IS DISTINCT FROM ARRAY['search_path=jobqueue, pg_temp']
                    OR has_function_privilege('public', p.oid, 'EXECUTE'))
            """);
        Assert.True(offenders is null, "not SECURITY DEFINER with search_path=jobqueue, pg_temp, or executable by PUBLIC: " + offenders);
        Assert.True(await db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_proc WHERE pronamespace = 'jobqueue'::regnamespace AND has_function_privilege('jobqueue_app', oid, 'EXECUTE')") > 30);
        Assert.False(await db.ScalarAsync<bool>("SELECT has_function_privilege('jobqueue_app', 'jobqueue.set_app_execute(text[])', 'EXECUTE')"));
        Assert.Null(await db.ScalarAsync<string>(
            "SELECT string_agg(oid::regprocedure::text, ', ') FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND prosecdef"));
    }
}
