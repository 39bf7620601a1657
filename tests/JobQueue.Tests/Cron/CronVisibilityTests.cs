using System.Text.Json;
using JobQueue.Database;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using Npgsql;

namespace JobQueue.Tests.Cron;

/// <summary>
/// The cron summary (GET admin/cron-jobs) tells the truth about the jobs it does not list: the schema
/// owner's own jobs that the app did not create (counted, with their failures, never shown), and the
/// jobs of other roles: counted over Database:MigrationConnectionString when that connection sees every
/// job (a superuser), else "unknown" with a note that says what to do, never 0.
/// </summary>
public sealed class CronVisibilityTests : IAsyncLifetime
{
    private readonly string prefix = CronTestDatabase.NewPrefix("cv");
    private readonly List<long> jobs = [];
    private readonly NpgsqlDataSource superuser = CronTestDatabase.SuperuserSource;
    private TestDatabase db = null!;
    private NpgsqlDataSource owner = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        await CronTestDatabase.EnsureMigratedAsync();
        owner = NpgsqlDataSource.Create(CronTestDatabase.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await CronTestDatabase.UnscheduleAsync(jobs);
        await owner.DisposeAsync();
        await db.DisposeAsync();
    }

    /// <summary>A pg_cron job made straight in pg_cron by <paramref name="role"/>'s connection, with one failed run a minute ago.</summary>
    private async Task FailingJobAsync(NpgsqlDataSource role, string name)
    {
        long id;
        await using (var cmd = role.CreateCommand("SELECT cron.schedule($1, '0 0 1 1 *', 'SELECT 1')"))
        {
            cmd.Parameters.AddWithValue(name);
            id = (long)(await cmd.ExecuteScalarAsync())!;
        }

        jobs.Add(id);
        await CronTestDatabase.AddRunAsync(id, "failed", "ERROR: out of memory", DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Jobs of roles other than the schema owner, and their failed runs of the last 24 h, counted by the superuser.</summary>
    private async Task<(long Jobs, long Failures)> OtherRolesAsync()
    {
        await using var cmd = superuser.CreateCommand(
            "SELECT (SELECT count(*) FROM cron.job WHERE username <> 'jobqueue'), " +
            "(SELECT count(*) FROM cron.job_run_details d JOIN cron.job j USING (jobid) WHERE j.username <> 'jobqueue' AND d.status = 'failed' AND d.start_time >= now() - interval '24 hours')");
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private async Task<JsonElement> SummaryAsync(string? migrationConnectionString)
    {
        await using var api = await ApiTestServer.StartAsync(db, settings: migrationConnectionString is null
            ? null
            : new Dictionary<string, string?> { ["Database:MigrationConnectionString"] = migrationConnectionString });
        return (await api.JsonAsync(HttpMethod.Get, "/api/admin/cron-jobs", null, Credentials.Admin, 200)).GetProperty("summary");
    }

    [Fact]
    public async Task Over_a_superusers_connection_other_roles_jobs_and_their_failures_are_counted()
    {
        await FailingJobAsync(superuser, prefix + "postgres_pgnet");
        await FailingJobAsync(owner, prefix + "owner_by_hand");
        var before = await OtherRolesAsync();

        var summary = await SummaryAsync(DatabaseConnection.OnDatabase(LocalPostgres.RunScript("admin-url"), db.Name));

        var after = await OtherRolesAsync();
        Assert.InRange(summary.GetProperty("invisibleJobs").GetInt64(), Math.Min(before.Jobs, after.Jobs), Math.Max(before.Jobs, after.Jobs));
        Assert.InRange(summary.GetProperty("invisibleRecentFailures").GetInt64(), Math.Max(1, Math.Min(before.Failures, after.Failures)), Math.Max(before.Failures, after.Failures));
        Assert.Equal("Database:MigrationConnectionString (postgres)", summary.GetProperty("countedBy").GetString());
        Assert.Contains("of other roles", summary.GetProperty("note").GetString(), StringComparison.Ordinal);
        // the owner's own job made by hand is not listed, but counted with its failure
        Assert.True(summary.GetProperty("unlistedJobs").GetInt64() >= 1);
        Assert.True(summary.GetProperty("unlistedRecentFailures").GetInt64() >= 1);
    }

    [Fact]
    public async Task Without_a_connection_that_sees_every_job_other_roles_jobs_are_unknown_not_zero()
    {
        await FailingJobAsync(superuser, prefix + "postgres_pgnet");

        var unconfigured = await SummaryAsync(null);
        Assert.Equal("unknown", unconfigured.GetProperty("invisibleJobs").GetString());
        Assert.Equal("unknown", unconfigured.GetProperty("invisibleRecentFailures").GetString());
        Assert.Equal(JsonValueKind.Null, unconfigured.GetProperty("countedBy").ValueKind);
        var note = unconfigured.GetProperty("note").GetString()!;
        Assert.Contains("Database:MigrationConnectionString", note, StringComparison.Ordinal);
        Assert.Contains("(jobqueue)", note, StringComparison.Ordinal);

        // the schema owner's own connection (not a superuser) sees no more than the owner does
        var ownerOnly = await SummaryAsync(DatabaseConnection.OnDatabase(LocalPostgres.ConnectionString, db.Name));
        Assert.Equal("unknown", ownerOnly.GetProperty("invisibleJobs").GetString());
        Assert.Contains("superuser", ownerOnly.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Password", ownerOnly.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }
}
