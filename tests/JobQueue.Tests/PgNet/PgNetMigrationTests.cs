using System.Text.Json;
using JobQueue.Cron;
using JobQueue.Database;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace JobQueue.Tests.PgNet;

/// <summary>
/// The way off pg_net on real pg_cron, over the schema owner's connection (Database:MigrationConnectionString):
/// jobs in the shapes teams scheduled (a get_secret header, a literal key, a vault lookup, a computed URL,
/// a key in the query) are listed with parsed fields only (method, URL without query values, header
/// names, body shape, secret names) and converted: the new job created through create_cron_job, the old
/// one disabled, not deleted; the commands, their keys and their header and body values never appear in
/// a response, and a command that only mentions net.http_post (a comment, a second statement) is not
/// listed. The runtime login may call neither function; without the owner's connection the routes
/// answer 503 saying what to set.
/// </summary>
public sealed class PgNetMigrationTests : IAsyncLifetime
{
    private const string Jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.bGl0ZXJhbC1rZXktaW4tY3Jvbg";
    private const string PlainKey = "plain-literal-key-0123456789abcdef";
    private const string ServiceKey = "service-key-VALUE-91b2c3";
    private const string HeaderValue = "tenant-header-VALUE-77";
    private const string BodyValue = "body-VALUE-55";
    private const string QueryValue = "query-VALUE-33";
    private const string UnstoredSecret = "unstored-key";

    private readonly string prefix = CronTestDatabase.NewPrefix("pgnet");
    private TestDatabase db = null!;
    private ApiTestServer api = null!;
    private NpgsqlDataSource owner = null!;

    private string Invoices => prefix + "daily-invoices";

    private string Worker => prefix + "notification-worker";

    private string Escalations => prefix + "escalations";

    private string Monthly => prefix + "monthly-invoices";

    private string Queried => prefix + "queried";

    private string Commented => prefix + "commented";

    private string TwoStatements => prefix + "two-statements";

    /// <summary>The settings of this class's servers: the owner's connection, the hosts and the secret's destinations.</summary>
    private Dictionary<string, string?> Settings(bool withOwner = true) => new()
    {
        ["HttpJobs:AllowedHosts"] = "abcd.supabase.co",
        ["HttpJobs:SecretDestinations:service-role-key"] = "https://abcd.supabase.co/functions/v1/",
        ["HttpJobs:SecretDestinations:" + UnstoredSecret] = "https://abcd.supabase.co/functions/v1/",
        ["Secrets:service-role-key"] = ServiceKey,
        ["Database:MigrationConnectionString"] = withOwner ? db.ConnectionString : null,
    };

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        api = await ApiTestServer.StartAsync(db, settings: Settings());
        owner = NpgsqlDataSource.Create(CronTestDatabase.ConnectionString);
        await ScheduleAsync(Invoices, "0 1 * * *", """
            SELECT net.http_post(
              url := 'https://abcd.supabase.co/functions/v1/daily-invoices',
              headers := jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || public.get_secret('service_role_key')),
              body := jsonb_build_object('kind', 'daily'),
              timeout_milliseconds := 30000) AS request_id;
            """);
        await ScheduleAsync(Worker, "* * * * *", $$"""
            select net.http_post(url:='https://abcd.supabase.co/functions/v1/notification-worker',
              headers:='{"Content-Type": "application/json", "Authorization": "Bearer {{Jwt}}", "apikey": "{{PlainKey}}", "X-Tenant": "{{HeaderValue}}"}'::jsonb,
              body:=jsonb_build_object('limit', 5, 'runs', 1, 'note', '{{BodyValue}}'), timeout_milliseconds:=5000);
            """);
        await ScheduleAsync(Escalations, "0 2,6 * * *", """
            select net.http_get(url := 'https://abcd.supabase.co/functions/v1/escalations',
              headers := jsonb_build_object('Authorization', 'Bearer ' || (select decrypted_secret from vault.decrypted_secrets where name = 'service_role_key')));
            """);
        await ScheduleAsync(Monthly, "0 3 * * *", """
            select net.http_post(url := current_setting('app.settings.supabase_url') || '/functions/v1/monthly-invoices',
              headers := jsonb_build_object('Authorization', 'Bearer ' || public.get_secret('service_role_key')), body := '{}'::jsonb);
            """);
        await ScheduleAsync(Queried, "0 4 * * *", $"select net.http_get(url := 'https://abcd.supabase.co/functions/v1/q?apikey={QueryValue}&day=1')");
        await ScheduleAsync(Commented, "0 5 * * *", "-- select net.http_post(url := 'https://abcd.supabase.co/functions/v1/x')\nselect 1");
        await ScheduleAsync(TwoStatements, "0 6 * * *", "select net.http_post(url := 'https://abcd.supabase.co/functions/v1/x'); select 2");
    }

    public async Task DisposeAsync()
    {
        await CronTestDatabase.DeleteJobsAsync(api.Services.GetRequiredService<CronJobStore>(), db.Name, prefix);
        await using (var cmd = owner.CreateCommand("SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname LIKE $1"))
        {
            cmd.Parameters.AddWithValue(prefix + "%");
            await cmd.ExecuteNonQueryAsync();
        }

        await owner.DisposeAsync();
        await api.DisposeAsync();
        await db.DisposeAsync();
    }

    [Fact]
    public async Task The_list_shows_parsed_fields_of_single_pg_net_calls_only_and_never_a_command_key_or_value()
    {
        using var response = await api.SendAsync(HttpMethod.Get, "/api/admin/cron-jobs/pg-net", null, Credentials.Admin);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var jobs = Mine(JsonDocument.Parse(text).RootElement.GetProperty("jobs"));

        Assert.Equal(new[] { Escalations, Invoices, Monthly, Worker, Queried }.Order(), jobs.Keys.Order());
        foreach (var hidden in new[]
                 {
                     Jwt, PlainKey, ServiceKey, HeaderValue, BodyValue, QueryValue, "net.http_post", "net.http_get", "jsonb_build_object",
                     "timeout_milliseconds", "application/json", "daily\"",
                 })
        {
            Assert.DoesNotContain(hidden, text, StringComparison.Ordinal);
        }

        var invoices = jobs[Invoices];
        Assert.True(invoices.GetProperty("convertible").GetBoolean());
        Assert.False(invoices.GetProperty("literalKeys").GetBoolean());
        Assert.Equal("0 1 * * *", invoices.GetProperty("schedule").GetString());
        Assert.Equal("Daily at 01:00 UTC", invoices.GetProperty("description").GetString());
        Assert.False(invoices.TryGetProperty("payload", out _), invoices.ToString());
        var request = invoices.GetProperty("request");
        Assert.Equal("POST", request.GetProperty("method").GetString());
        Assert.Equal("https://abcd.supabase.co/functions/v1/daily-invoices", request.GetProperty("url").GetString());
        Assert.Equal(new[] { "Content-Type", "Authorization" }, request.GetProperty("headerNames").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal(30, request.GetProperty("timeoutSeconds").GetInt32());
        Assert.Equal("string", request.GetProperty("bodyShape").GetProperty("kind").GetString());
        var secret = Assert.Single(invoices.GetProperty("secrets").EnumerateArray());
        Assert.Equal(("Authorization", "service-role-key"), (secret.GetProperty("header").GetString(), secret.GetProperty("secret").GetString()));

        var worker = jobs[Worker];
        Assert.True(worker.GetProperty("literalKeys").GetBoolean());
        var flagged = worker.GetProperty("secrets").EnumerateArray().Where(s => s.GetProperty("literal").GetBoolean()).Select(s => s.GetProperty("header").GetString()).Order();
        Assert.Equal(new[] { "apikey", "Authorization" }.Order(), flagged);
        // the keys' new secrets have no destinations yet: not convertible until HttpJobs:SecretDestinations names them
        Assert.False(worker.GetProperty("convertible").GetBoolean());
        Assert.Contains(worker.GetProperty("problems").EnumerateArray(), p => p.GetProperty("field").GetString() == "payload.headers.Authorization");
        Assert.Equal("number", worker.GetProperty("request").GetProperty("bodyShape").GetProperty("limit").GetString());
        Assert.Contains("X-Tenant", worker.GetProperty("request").GetProperty("headerNames").EnumerateArray().Select(h => h.GetString()));

        Assert.Equal("GET", jobs[Escalations].GetProperty("request").GetProperty("method").GetString());
        var queried = jobs[Queried].GetProperty("request");
        Assert.Equal("https://abcd.supabase.co/functions/v1/q", queried.GetProperty("url").GetString());
        Assert.Equal(new[] { "apikey", "day" }, queried.GetProperty("queryParameters").EnumerateArray().Select(q => q.GetString()));
        var monthly = jobs[Monthly];
        Assert.False(monthly.GetProperty("convertible").GetBoolean());
        Assert.Contains(monthly.GetProperty("problems").EnumerateArray(), p => p.GetProperty("field").GetString() == "url");
    }

    [Fact]
    public async Task Converting_creates_the_job_through_create_cron_job_and_disables_the_old_one()
    {
        var converted = await api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/pg-net/convert",
            JsonSerializer.Serialize(new { jobName = Invoices }), Credentials.Admin, 201);

        var newName = Invoices + "-jobqueue";
        Assert.Equal(newName, converted.GetProperty("job").GetProperty("jobName").GetString());
        Assert.False(converted.GetProperty("converted").GetProperty("active").GetBoolean());
        Assert.False(await ActiveAsync(Invoices));
        Assert.Contains("net.http_post", await CronTestDatabase.StoredCommandAsync(Invoices), StringComparison.Ordinal);

        var list = await api.JsonAsync(HttpMethod.Get, "/api/admin/cron-jobs", null, Credentials.Admin, 200);
        var created = list.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("jobName").GetString() == newName);
        Assert.Equal("http_request", created.GetProperty("taskType").GetString());
        Assert.Equal("0 1 * * *", created.GetProperty("schedule").GetString());
        Assert.True(created.GetProperty("active").GetBoolean());
        Assert.Equal("pg_cron:" + newName, created.GetProperty("dedupeKey").GetString());
        Assert.Equal("service-role-key", created.GetProperty("payload").GetProperty("headers").GetProperty("Authorization").GetProperty("secret").GetString());
        var command = await CronTestDatabase.StoredCommandAsync(newName);
        Assert.Contains("job_queue_enqueue('http_request'", command, StringComparison.Ordinal);
        Assert.DoesNotContain(ServiceKey, command, StringComparison.Ordinal);

        // what pg_cron runs enqueues, in the app database, a job whose payload the app accepts as it is
        await db.ExecuteAsync(command);
        var payloadText = await db.ScalarAsync<string>("SELECT payload::text FROM job_queue WHERE triggered_by = $1", "pg_cron:" + newName);
        using (var enqueued = JsonDocument.Parse(payloadText))
        {
            Assert.Empty(api.Services.GetRequiredService<JobQueue.Runner.JobHandlerRegistry>().ValidatePayload("http_request", enqueued.RootElement));
        }

        var again = await api.SendAsync(HttpMethod.Post, "/api/admin/cron-jobs/pg-net/convert", JsonSerializer.Serialize(new { jobName = Invoices }), Credentials.Admin);
        Assert.Equal(409, (int)again.StatusCode);
        Assert.False(await ActiveAsync(Invoices));
    }

    [Fact]
    public async Task A_literal_key_must_be_stored_as_a_secret_with_destinations_before_the_job_is_converted()
    {
        var before = await CronTestDatabase.SnapshotAsync(db.Name, prefix);

        // the key's new secret has no destinations yet: 400 naming the header and the setting
        using var nowhere = await api.SendAsync(HttpMethod.Post, "/api/admin/cron-jobs/pg-net/convert", JsonSerializer.Serialize(new { jobName = Worker }), Credentials.Admin);
        var problem = await nowhere.Content.ReadAsStringAsync();
        Assert.Equal(400, (int)nowhere.StatusCode);
        Assert.Contains("payload.headers.Authorization", problem, StringComparison.Ordinal);
        Assert.Contains("HttpJobs:SecretDestinations:" + Worker.Replace('_', '-') + "-authorization", problem, StringComparison.Ordinal);
        // a secret with destinations that is not stored yet: 409 naming it
        using var unstored = await api.SendAsync(HttpMethod.Post, "/api/admin/cron-jobs/pg-net/convert", JsonSerializer.Serialize(new
        {
            jobName = Worker,
            secretNames = new Dictionary<string, string> { ["Authorization"] = UnstoredSecret, ["apikey"] = UnstoredSecret },
        }), Credentials.Admin);
        var conflict = await unstored.Content.ReadAsStringAsync();
        Assert.Equal(409, (int)unstored.StatusCode);
        Assert.Contains(UnstoredSecret, conflict, StringComparison.Ordinal);
        foreach (var text in new[] { problem, conflict })
        {
            Assert.DoesNotContain(Jwt, text, StringComparison.Ordinal);
            Assert.DoesNotContain(PlainKey, text, StringComparison.Ordinal);
        }

        Assert.Equal(before, await CronTestDatabase.SnapshotAsync(db.Name, prefix));

        var converted = await api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/pg-net/convert", JsonSerializer.Serialize(new
        {
            jobName = Worker,
            newJobName = prefix + "notifications",
            secretNames = new Dictionary<string, string> { ["Authorization"] = "service-role-key", ["apikey"] = "service-role-key" },
            maxAttempts = 1,
        }), Credentials.Admin, 201);
        Assert.Equal(prefix + "notifications", converted.GetProperty("job").GetProperty("jobName").GetString());
        Assert.Equal("* * * * *", converted.GetProperty("job").GetProperty("schedule").GetString());
        Assert.Equal(1, converted.GetProperty("job").GetProperty("maxAttempts").GetInt32());
        Assert.False(await ActiveAsync(Worker));
        Assert.DoesNotContain(Jwt, converted.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_computed_url_needs_one_from_the_operator_and_bad_requests_change_nothing()
    {
        var before = await CronTestDatabase.SnapshotAsync(db.Name, prefix);

        var noUrl = await api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/pg-net/convert", JsonSerializer.Serialize(new { jobName = Monthly }), Credentials.Admin, 400);
        Assert.True(noUrl.GetProperty("errors").TryGetProperty("url", out _), noUrl.ToString());
        var outside = await api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/pg-net/convert",
            JsonSerializer.Serialize(new { jobName = Monthly, url = "https://evil.example.com/x" }), Credentials.Admin, 400);
        Assert.True(outside.GetProperty("errors").TryGetProperty("payload.url", out _), outside.ToString());
        var badSchedule = await api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/pg-net/convert",
            JsonSerializer.Serialize(new { jobName = Monthly, url = "https://abcd.supabase.co/functions/v1/monthly-invoices", schedule = "@monthly" }), Credentials.Admin, 400);
        Assert.True(badSchedule.GetProperty("errors").TryGetProperty("schedule", out _), badSchedule.ToString());
        var badSecret = await api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/pg-net/convert",
            JsonSerializer.Serialize(new { jobName = Monthly, secretNames = new { Authorization = "admin-token" } }), Credentials.Admin, 400);
        Assert.True(badSecret.GetProperty("errors").TryGetProperty("secretNames.Authorization", out _), badSecret.ToString());
        using var unknown = await api.SendAsync(HttpMethod.Post, "/api/admin/cron-jobs/pg-net/convert", "{\"jobName\":\"no-such-pg-net-job\"}", Credentials.Admin);
        Assert.Equal(404, (int)unknown.StatusCode);
        Assert.Equal(before, await CronTestDatabase.SnapshotAsync(db.Name, prefix));

        var converted = await api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/pg-net/convert",
            JsonSerializer.Serialize(new { jobName = Monthly, url = "https://abcd.supabase.co/functions/v1/monthly-invoices" }), Credentials.Admin, 201);
        Assert.Equal("https://abcd.supabase.co/functions/v1/monthly-invoices", converted.GetProperty("payload").GetProperty("url").GetString());
        Assert.False(await ActiveAsync(Monthly));
    }

    [Fact]
    public async Task The_runtime_login_may_neither_list_nor_convert_pg_cron_jobs()
    {
        // pg_cron's database is shared by every test run on the cluster: bring it to this schema first
        await new DatabaseMigrator(NullLogger<DatabaseMigrator>.Instance).MigrateCronAsync(CronTestDatabase.ConnectionString);
        await using var runtimeOnCron = NpgsqlDataSource.Create(LocalPostgres.AsRuntimeLogin(CronTestDatabase.ConnectionString));
        foreach (var (where, source) in new[] { ("pg_cron's database", runtimeOnCron), ("the app database", db.DataSource) })
        {
            foreach (var sql in new[]
                     {
                         "SELECT count(*) FROM jobqueue.get_pg_net_cron_jobs()",
                         "SELECT count(*) FROM jobqueue.convert_pg_net_cron_job(1, 'x', 'stolen', '* * * * *', 'http_request', '{}'::jsonb)",
                     })
            {
                await using var cmd = source.CreateCommand(sql);
                var e = await Record.ExceptionAsync(() => cmd.ExecuteScalarAsync());
                Assert.True(e is PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege }, $"{where}: {sql}: {e?.Message ?? "no error"}");
            }
        }

        Assert.True(await ActiveAsync(Invoices));
    }

    [Fact]
    public async Task Without_the_owners_connection_the_routes_answer_503_saying_what_to_set()
    {
        await using var runtimeOnly = await ApiTestServer.StartAsync(db, settings: Settings(withOwner: false));
        var before = await CronTestDatabase.SnapshotAsync(db.Name, prefix);

        foreach (var (method, path, body) in new[]
                 {
                     (HttpMethod.Get, "/api/admin/cron-jobs/pg-net", (string?)null),
                     (HttpMethod.Post, "/api/admin/cron-jobs/pg-net/convert", JsonSerializer.Serialize(new { jobName = Invoices })),
                 })
        {
            using var response = await runtimeOnly.SendAsync(method, path, body, Credentials.Admin);
            var problem = await response.Content.ReadAsStringAsync();
            Assert.Equal(503, (int)response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Database:MigrationConnectionString", problem, StringComparison.Ordinal);
            Assert.DoesNotContain(Invoices, problem, StringComparison.Ordinal);
        }

        Assert.Equal(before, await CronTestDatabase.SnapshotAsync(db.Name, prefix));
        Assert.True(await ActiveAsync(Invoices));
    }

    private Dictionary<string, JsonElement> Mine(JsonElement jobs) =>
        jobs.EnumerateArray().Where(j => j.GetProperty("jobName").GetString()!.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(j => j.GetProperty("jobName").GetString()!);

    private async Task ScheduleAsync(string name, string schedule, string command)
    {
        await using var cmd = owner.CreateCommand("SELECT cron.schedule($1, $2, $3)");
        cmd.Parameters.AddWithValue(name);
        cmd.Parameters.AddWithValue(schedule);
        cmd.Parameters.AddWithValue(command);
        await cmd.ExecuteScalarAsync();
    }

    private async Task<bool> ActiveAsync(string name)
    {
        await using var cmd = owner.CreateCommand("SELECT active FROM cron.job WHERE jobname = $1");
        cmd.Parameters.AddWithValue(name);
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }
}
