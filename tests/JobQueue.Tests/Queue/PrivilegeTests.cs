using JobQueue.Tests.Infrastructure;
using Npgsql;

namespace JobQueue.Tests.Queue;

/// <summary>Least privilege: the app role may only call the functions; nothing is granted to PUBLIC.</summary>
public sealed class PrivilegeTests : IAsyncLifetime
{
    private readonly string appLogin = "jq_t_app_" + Guid.NewGuid().ToString("N")[..8];
    private readonly string outsider = "jq_t_out_" + Guid.NewGuid().ToString("N")[..8];
    private TestDatabase db = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
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
    public async Task The_app_role_can_call_the_rpcs_but_not_touch_the_tables()
    {
        var id = (Guid)(await AsAsync(appLogin, "app-pw", "SELECT job_queue_enqueue('t', '{}')"))!;
        Assert.Equal(id, (Guid)(await AsAsync(appLogin, "app-pw", "SELECT id FROM job_queue_claim(1)"))!);

        foreach (var sql in new[] { "SELECT count(*) FROM job_queue", "DELETE FROM job_queue_attempts", "UPDATE job_queue_settings SET processing_enabled = false" })
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => AsAsync(appLogin, "app-pw", sql));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
        }
    }

    [Fact]
    public async Task A_role_outside_the_app_role_cannot_execute_the_rpcs()
    {
        foreach (var sql in new[] { "SELECT job_queue_enqueue('t', '{}')", "SELECT count(*) FROM job_queue_claim(1)", "SELECT job_queue_health()" })
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => AsAsync(outsider, "out-pw", sql));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
        }
    }

    [Fact]
    public async Task Row_level_security_is_on_and_every_function_is_security_definer_with_a_fixed_search_path()
    {
        Assert.Equal(3L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_class WHERE relname IN ('job_queue', 'job_queue_attempts', 'job_queue_settings') AND relrowsecurity"));
        Assert.Equal(0L, await db.ScalarAsync<long>(
            """
            SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'public' AND (p.proname LIKE 'job\_queue\_%' OR p.proname LIKE 'game\_platform\_%')
               AND (NOT p.prosecdef OR NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')
                    OR has_function_privilege('public', p.oid, 'EXECUTE'))
            """));
        Assert.False(await db.ScalarAsync<bool>(
            "SELECT has_function_privilege('jobqueue_app', 'jobqueue_grant_app_execute(text)', 'EXECUTE')"));
    }
}
