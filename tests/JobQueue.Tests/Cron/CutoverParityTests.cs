using System.Text.Json;
using JobQueue.Database;
using JobQueue.Runner;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace JobQueue.Tests.Cron;

/// <summary>
/// GET admin/cutover/parity on the real pg_cron: a converted job (a row of jobqueue.cutover_cron_jobs)
/// whose old pg_cron job belongs to another role (the superuser, as `postgres` on Supabase) with runs
/// in cron.job_run_details and pg_net responses in a stand-in net._http_response, beside the jobs its
/// new schedule enqueued and their attempts. The old side is read over Database:MigrationConnectionString;
/// without it the report says it cannot read the old side instead of showing no runs. No secret of the
/// old command reaches the response.
/// </summary>
public sealed class CutoverParityTests : IAsyncLifetime
{
    private const string Secret = "sk_live_PARITY_SECRET_9z8y7x";
    private const string TaskType = "parity_http";
    private readonly string prefix = CronTestDatabase.NewPrefix("cp");
    private readonly List<long> oldJobs = [];
    private readonly NpgsqlDataSource superuser = CronTestDatabase.SuperuserSource;
    private TestDatabase db = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        await CronTestDatabase.EnsureMigratedAsync();
    }

    public async Task DisposeAsync()
    {
        await CronTestDatabase.UnscheduleAsync(oldJobs);
        await db.DisposeAsync();
    }

    private Task<ApiTestServer> StartAsync(bool ownerConnection) => ApiTestServer.StartAsync(db,
        s => s.AddSingleton<IJobHandler>(new DelegateHandler(TaskType, (p, _, _) => p.Count == 2
            ? throw new HttpRequestException("HTTP 503 from POST https://project.supabase.co/functions/v1/sync after 1 requests: down")
            : Task.FromResult<object?>(new { status = 200, durationMs = 12, requests = 1 }))),
        ownerConnection
            ? new Dictionary<string, string?> { ["Database:MigrationConnectionString"] = DatabaseConnection.OnDatabase(LocalPostgres.RunScript("admin-url"), db.Name) }
            : new Dictionary<string, string?> { ["Database:MigrationConnectionString"] = "" });

    /// <summary>The old job, as the replaced stack made it: the superuser's pg_net call, disabled by the cut-over, with two runs.</summary>
    private async Task<long> OldJobAsync(string name, DateTimeOffset firstRun)
    {
        var command = $$"""SELECT net.http_post(url := 'https://project.supabase.co/functions/v1/sync', headers := '{"Authorization":"Bearer {{Secret}}"}'::jsonb)""";
        long id;
        await using (var cmd = superuser.CreateCommand("SELECT cron.schedule_in_database($1, '0 0 1 1 *', $2, $3)"))
        {
            cmd.Parameters.AddWithValue(name);
            cmd.Parameters.AddWithValue(command);
            cmd.Parameters.AddWithValue(db.Name);
            id = (long)(await cmd.ExecuteScalarAsync())!;
        }

        oldJobs.Add(id);
        await using (var off = superuser.CreateCommand("SELECT cron.alter_job($1, active := false)"))
        {
            off.Parameters.AddWithValue(id);
            await off.ExecuteNonQueryAsync();
        }

        await CronTestDatabase.AddRunAsync(id, "succeeded", "1 row", firstRun, TimeSpan.FromMilliseconds(40));
        await CronTestDatabase.AddRunAsync(id, "failed", $"ERROR:  invalid token \"{Secret}\"", firstRun.AddMinutes(5), TimeSpan.FromMilliseconds(40));
        return id;
    }

    private Task ConvertedAsync(long oldJobId, string oldName, string newName, DateTimeOffset at) => db.ExecuteAsync(
        "INSERT INTO jobqueue.cutover_cron_jobs (old_jobid, old_jobname, old_username, old_database, old_command_md5, new_jobname, converted_at) " +
        "VALUES ($1, $2, 'postgres', $3, md5('x'), $4, $5)", oldJobId, oldName, db.Name, newName, at);

    /// <summary>Two jobs the new schedule enqueued, run once: one answers 200, one 503 (retried later).</summary>
    private static async Task NewAttemptsAsync(ApiTestServer api, string newName)
    {
        var store = api.Services.GetRequiredService<JobQueue.Queue.JobQueueStore>();
        foreach (var count in new[] { 1, 2 })
        {
            await store.EnqueueAsync(new JobQueue.Queue.EnqueueRequest(TaskType, JsonDocument.Parse($"{{\"count\":{count}}}").RootElement, TriggeredBy: "pg_cron:" + newName));
        }

        await api.JsonAsync(HttpMethod.Post, "/api/jobs/run", """{"limit":10}""", Credentials.Runner, 200);
    }

    /// <summary>An old job converted an hour ago into <c>&lt;name&gt;-jobqueue</c>, its runs 20 and 15 minutes ago.</summary>
    private async Task<(long OldId, string OldName, string NewName, DateTimeOffset Now)> ConvertedJobAsync(string name)
    {
        var now = DateTimeOffset.UtcNow;
        var oldName = prefix + name;
        var newName = oldName + "-jobqueue";
        var oldId = await OldJobAsync(oldName, now.AddMinutes(-20));
        await ConvertedAsync(oldId, oldName, newName, now.AddHours(-1));
        return (oldId, oldName, newName, now);
    }

    private static JsonElement JobOf(JsonElement report, long oldJobId) =>
        report.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("oldJobId").GetInt64() == oldJobId);

    [Fact]
    public async Task The_old_runs_with_their_pg_net_codes_stand_beside_the_new_attempts_and_no_secret_leaks()
    {
        var (oldId, oldName, newName, now) = await ConvertedJobAsync("sync_hourly");
        await db.ExecuteAsync(
            "CREATE SCHEMA net; CREATE TABLE net._http_response (id bigint, status_code integer, content text, created timestamptz, timed_out boolean, error_msg text)");
        await db.ExecuteAsync(
            "INSERT INTO net._http_response (id, status_code, content, created) VALUES (1, 200, 'ok', $1), (2, 500, $3, $2)",
            now.AddMinutes(-20).AddSeconds(2), now.AddMinutes(-15).AddSeconds(2), "body with " + Secret);
        await using var api = await StartAsync(ownerConnection: true);
        await NewAttemptsAsync(api, newName);

        using var response = await api.SendAsync(HttpMethod.Get, "/api/admin/cutover/parity?runs=5", null, Credentials.Admin);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        var report = JsonDocument.Parse(text).RootElement;
        Assert.True(report.GetProperty("oldSide").GetProperty("readable").GetBoolean(), text);
        Assert.Equal("postgres", report.GetProperty("oldSide").GetProperty("readAs").GetString());

        var job = JobOf(report, oldId);
        Assert.Equal((oldName, newName, "postgres", db.Name), (job.GetProperty("oldJobName").GetString(), job.GetProperty("newJobName").GetString(),
            job.GetProperty("oldUsername").GetString(), job.GetProperty("oldDatabase").GetString()));

        var old = job.GetProperty("old");
        Assert.True(old.GetProperty("readable").GetBoolean());
        Assert.False(old.GetProperty("active").GetBoolean());
        var runs = old.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(new[] { "failed", "succeeded" }, runs.Select(r => r.GetProperty("status").GetString()));
        Assert.Contains("[redacted]", runs[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(40, runs[1].GetProperty("durationMs").GetInt64());
        Assert.Equal(new[] { 500 }, runs[0].GetProperty("httpStatusCodes").EnumerateArray().Select(c => c.GetInt32()));
        Assert.Equal(new[] { 200 }, runs[1].GetProperty("httpStatusCodes").EnumerateArray().Select(c => c.GetInt32()));
        Assert.Equal(1, old.GetProperty("statuses").GetProperty("failed").GetInt32());
        Assert.Equal(1, old.GetProperty("httpStatusCodes").GetProperty("200").GetInt32());

        var fresh = job.GetProperty("new");
        Assert.Equal(2, fresh.GetProperty("jobs").GetArrayLength());
        Assert.Equal(1, fresh.GetProperty("outcomes").GetProperty("succeeded").GetInt32());
        Assert.Equal(1, fresh.GetProperty("outcomes").GetProperty("retry").GetInt32());
        Assert.Equal(1, fresh.GetProperty("httpStatusCodes").GetProperty("200").GetInt32());
        Assert.Equal(1, fresh.GetProperty("httpStatusCodes").GetProperty("503").GetInt32());
        var attempts = fresh.GetProperty("jobs").EnumerateArray().SelectMany(j => j.GetProperty("attempts").EnumerateArray()).ToList();
        Assert.All(attempts, a => Assert.True(a.GetProperty("durationMs").GetInt32() >= 0));
        Assert.Contains(attempts, a => a.GetProperty("error").GetString()?.Contains("HTTP 503", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Without_the_owner_connection_the_old_side_says_it_cannot_be_read_instead_of_showing_no_runs()
    {
        var (oldId, _, newName, _) = await ConvertedJobAsync("reminders");
        await using var api = await StartAsync(ownerConnection: false);
        await NewAttemptsAsync(api, newName);

        var report = await api.JsonAsync(HttpMethod.Get, "/api/admin/cutover/parity", null, Credentials.Admin, 200);

        Assert.False(report.GetProperty("oldSide").GetProperty("readable").GetBoolean());
        Assert.Contains("Database:MigrationConnectionString", report.GetProperty("oldSide").GetProperty("note").GetString(), StringComparison.Ordinal);
        var job = JobOf(report, oldId);
        var old = job.GetProperty("old");
        Assert.False(old.GetProperty("readable").GetBoolean());
        Assert.False(old.TryGetProperty("runs", out _)); // no empty history pretending the old job never ran
        Assert.Equal(2, job.GetProperty("new").GetProperty("jobs").GetArrayLength());
    }

    [Fact]
    public async Task The_runs_parameter_is_checked_and_a_refusal_names_it()
    {
        await using var api = await StartAsync(ownerConnection: false);
        var problem = await api.JsonAsync(HttpMethod.Get, "/api/admin/cutover/parity?runs=0", null, Credentials.Admin, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("runs", out _));
        using var anonymous = await api.SendAsync(HttpMethod.Get, "/api/admin/cutover/parity", null, Credentials.None);
        Assert.Equal(401, (int)anonymous.StatusCode);
    }
}
