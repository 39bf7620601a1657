using System.Net;
using System.Text.Json;
using JobQueue.Cron;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Api;

/// <summary>A server over a test database whose pg_cron is the cluster's (another database); its cron jobs are removed at the end.</summary>
public sealed class CronApiFixture : IAsyncLifetime
{
    public TestDatabase Db { get; private set; } = null!;

    public ApiTestServer Api { get; private set; } = null!;

    public string Prefix { get; } = CronTestDatabase.NewPrefix("h");

    public async Task InitializeAsync()
    {
        Db = await TestDatabase.CreateAsync();
        Api = await ApiTestServer.StartAsync(Db);
    }

    public Task<string> CronSnapshotAsync() => CronTestDatabase.SnapshotAsync(Db.Name, Prefix);

    public Task<string> StoredCommandAsync(string jobName) => CronTestDatabase.StoredCommandAsync(jobName);

    public async Task DisposeAsync()
    {
        await CronTestDatabase.DeleteJobsAsync(Api.Services.GetRequiredService<CronJobStore>(), Db.Name, Prefix);
        await Api.DisposeAsync();
        await Db.DisposeAsync();
    }
}

/// <summary>The pg_cron routes through the real HTTP pipeline on the real pg_cron.</summary>
public sealed class CronApiTests(CronApiFixture fx) : IClassFixture<CronApiFixture>
{
    [Fact]
    public async Task Create_list_toggle_reschedule_and_delete_through_the_api()
    {
        var name = fx.Prefix + "life";
        var created = await fx.Api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/create",
            $$"""{"jobName":"{{name}}","schedule":"*/30 * * * *","taskType":"test_echo","payload":{"count":2},"maxAttempts":4}""",
            Credentials.Admin, 201);
        Assert.Equal(name, created.GetProperty("jobName").GetString());
        Assert.Equal("Every 30 minutes", created.GetProperty("description").GetString());
        Assert.Equal(fx.Db.Name, created.GetProperty("database").GetString());
        Assert.Equal("test_echo", created.GetProperty("taskType").GetString());

        var list = await fx.Api.JsonAsync(HttpMethod.Get, "/api/admin/cron-jobs?limit=20", null, Credentials.Admin, 200);
        var jobs = list.GetProperty("jobs").EnumerateArray().ToList();
        var listed = Assert.Single(jobs, j => j.GetProperty("jobName").GetString() == name);
        Assert.True(listed.GetProperty("active").GetBoolean());
        Assert.Equal("test_echo", listed.GetProperty("taskType").GetString());
        var summary = list.GetProperty("summary");
        Assert.Equal(jobs.Count, summary.GetProperty("total").GetInt32());
        Assert.Equal(jobs.Count(j => j.GetProperty("active").GetBoolean()), summary.GetProperty("active").GetInt32());
        Assert.Equal(jobs.Count(j => !j.GetProperty("active").GetBoolean()), summary.GetProperty("inactive").GetInt32());
        Assert.Equal(
            list.GetProperty("runs").EnumerateArray().Count(r => r.GetProperty("status").GetString() == "failed"),
            summary.GetProperty("recentFailures").GetInt32());

        var toggled = await fx.Api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/toggle", $$"""{"jobName":"{{name}}","active":false}""", Credentials.Admin, 200);
        Assert.False(toggled.GetProperty("active").GetBoolean());

        var moved = await fx.Api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/schedule", $$"""{"jobName":"{{name}}","schedule":" 15  3 * * * "}""", Credentials.Admin, 200);
        Assert.Equal("15 3 * * *", moved.GetProperty("schedule").GetString());
        Assert.Equal("Daily at 03:15 UTC", moved.GetProperty("description").GetString());
        Assert.False(moved.GetProperty("active").GetBoolean());
        Assert.Contains("'test_echo', '{\"count\": 2}'::jsonb, now(), 4, NULL", await fx.StoredCommandAsync(name), StringComparison.Ordinal);

        var deleted = await fx.Api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/delete", $$"""{"jobName":"{{name}}"}""", Credentials.Admin, 200);
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.DoesNotContain(name, await fx.CronSnapshotAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("toggle", """{"jobName":"NAME","active":true}""")]
    [InlineData("schedule", """{"jobName":"NAME","schedule":"0 * * * *"}""")]
    [InlineData("delete", """{"jobName":"NAME"}""")]
    public async Task An_unknown_job_name_is_404(string route, string body)
    {
        using var response = await fx.Api.SendAsync(HttpMethod.Post, "/api/admin/cron-jobs/" + route, body.Replace("NAME", fx.Prefix + "missing", StringComparison.Ordinal), Credentials.Admin);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(fx.Prefix + "missing", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_name_is_409_and_the_stored_job_is_unchanged()
    {
        var name = fx.Prefix + "taken";
        await fx.Api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/create", $$"""{"jobName":"{{name}}","schedule":"0 * * * *","taskType":"test_echo"}""", Credentials.Admin, 201);
        var before = await fx.CronSnapshotAsync();

        using var response = await fx.Api.SendAsync(HttpMethod.Post, "/api/admin/cron-jobs/create",
            $$"""{"jobName":"{{name}}","schedule":"5 5 * * *","taskType":"test_echo","payload":{"count":9} }""", Credentials.Admin);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(before, await fx.CronSnapshotAsync());
        await fx.Api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/delete", $$"""{"jobName":"{{name}}"}""", Credentials.Admin, 200);
    }

    public static TheoryData<string, string, string> HostileBodies()
    {
        const string ok = "\"schedule\":\"0 * * * *\",\"taskType\":\"test_echo\"";
        return new TheoryData<string, string, string>
        {
            { "create", "{}", "jobName" },
            { "create", "{\"jobName\":\"x'; DROP TABLE job_queue; --\"," + ok + "}", "jobName" },
            { "create", "{\"jobName\":\"a$$b\"," + ok + "}", "jobName" },
            { "create", "{\"jobName\":\"a;b\"," + ok + "}", "jobName" },
            { "create", "{\"jobName\":\"" + new string('n', 64) + "\"," + ok + "}", "jobName" },
            { "create", "{\"jobName\":5," + ok + "}", "jobName" },
            { "create", "{\"jobName\":\"a\\u0000b\"," + ok + "}", "jobName" },
            { "create", "{\"jobName\":\"PFX\",\"schedule\":\"* * * *\",\"taskType\":\"test_echo\"}", "schedule" },
            { "create", "{\"jobName\":\"PFX\",\"schedule\":\"61 * * * *\",\"taskType\":\"test_echo\"}", "schedule" },
            { "create", "{\"jobName\":\"PFX\",\"schedule\":\"* * * * *'; SELECT 1; --\",\"taskType\":\"test_echo\"}", "schedule" },
            { "create", "{\"jobName\":\"PFX\",\"schedule\":\"$$ * * * *\",\"taskType\":\"test_echo\"}", "schedule" },
            { "create", "{\"jobName\":\"PFX\",\"schedule\":\"@daily\",\"taskType\":\"test_echo\"}", "schedule" },
            { "create", "{\"jobName\":\"PFX\",\"schedule\":\"30 seconds\",\"taskType\":\"test_echo\"}", "schedule" },
            { "create", "{\"jobName\":\"PFX\",\"schedule\":\"0 0 31 2 *\",\"taskType\":\"test_echo\"}", "schedule" },
            { "create", "{\"jobName\":\"PFX\",\"schedule\":\"0 * * * *\",\"taskType\":\"nope\"}", "taskType" },
            { "create", "{\"jobName\":\"PFX\",\"schedule\":\"0 * * * *\",\"taskType\":\"test_echo'); DELETE FROM job_queue; --\"}", "taskType" },
            { "create", "{\"jobName\":\"PFX\",\"schedule\":\"0 * * * *\"}", "taskType" },
            { "create", "{\"jobName\":\"PFX\"," + ok + ",\"payload\":[1]}", "payload" },
            { "create", "{\"jobName\":\"PFX\"," + ok + ",\"payload\":\"{}\"}", "payload" },
            { "create", "{\"jobName\":\"PFX\"," + ok + ",\"payload\":{\"count\":11}}", "payload.count" },
            { "create", "{\"jobName\":\"PFX\"," + ok + ",\"payload\":{\"big\":\"" + new string('p', 17000) + "\"}}", "payload" },
            { "create", "{\"jobName\":\"PFX\"," + ok + ",\"maxAttempts\":0}", "maxAttempts" },
            { "create", "{\"jobName\":\"PFX\"," + ok + ",\"maxAttempts\":101}", "maxAttempts" },
            { "create", "{\"jobName\":\"PFX\"," + ok + ",\"maxAttempts\":\"3\"}", "maxAttempts" },
            { "create", "{\"jobName\":\"PFX\",", "body" },
            { "toggle", "{}", "jobName" },
            { "toggle", "{\"jobName\":\"PFX\"}", "active" },
            { "toggle", "{\"jobName\":\"PFX\",\"active\":\"no\"}", "active" },
            { "toggle", "{\"jobName\":\"x' OR '1'='1\",\"active\":false}", "jobName" },
            { "schedule", "{\"jobName\":\"PFX\"}", "schedule" },
            { "schedule", "{\"jobName\":\"PFX\",\"schedule\":\"0 0 * * MON\"}", "schedule" },
            { "schedule", "{\"jobName\":\"PFX\",\"schedule\":\"*/5 * * * *; DROP TABLE job_queue\"}", "schedule" },
            { "schedule", "{\"jobName\":\"a b\",\"schedule\":\"0 * * * *\"}", "jobName" },
            { "delete", "{}", "jobName" },
            { "delete", "{\"jobName\":\"%\"}", "jobName" },
            { "delete", "[\"PFX\"]", "body" },
        };
    }

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task Hostile_or_bad_input_is_a_400_naming_the_field_and_cron_job_is_unchanged(string route, string body, string field)
    {
        var existing = fx.Prefix + "kept";
        await EnsureJobAsync(existing);
        var before = await fx.CronSnapshotAsync();
        var appBefore = await fx.Api.SnapshotAsync();

        using var response = await fx.Api.SendAsync(HttpMethod.Post, "/api/admin/cron-jobs/" + route,
            body.Replace("PFX", route == "create" ? fx.Prefix + "new" : existing, StringComparison.Ordinal), Credentials.Admin);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
        Assert.Equal(before, await fx.CronSnapshotAsync());
        Assert.Equal(appBefore, await fx.Api.SnapshotAsync());
    }

    [Theory]
    [InlineData(Credentials.None, 401)]
    [InlineData(Credentials.WrongBearer, 401)]
    [InlineData(Credentials.Runner, 401)]
    [InlineData(Credentials.PrincipalWithoutRole, 403)]
    public async Task Without_admin_credentials_nothing_is_scheduled_changed_or_listed(Credentials credentials, int expected)
    {
        var existing = fx.Prefix + "kept";
        await EnsureJobAsync(existing);
        var before = await fx.CronSnapshotAsync();

        foreach (var (method, path, body) in new (string, string, string?)[]
        {
            ("GET", "/api/admin/cron-jobs", null),
            ("POST", "/api/admin/cron-jobs/create", $$"""{"jobName":"{{fx.Prefix}}sneaky","schedule":"* * * * *","taskType":"test_echo"}"""),
            ("POST", "/api/admin/cron-jobs/toggle", $$"""{"jobName":"{{existing}}","active":false}"""),
            ("POST", "/api/admin/cron-jobs/schedule", $$"""{"jobName":"{{existing}}","schedule":"* * * * *"}"""),
            ("POST", "/api/admin/cron-jobs/delete", $$"""{"jobName":"{{existing}}"}"""),
            ("POST", "/api/admin/cron-jobs/install-standing", null),
        })
        {
            using var response = await fx.Api.SendAsync(new HttpMethod(method), path, body, credentials);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(expected, (int)response.StatusCode);
            Assert.DoesNotContain(existing, text, StringComparison.Ordinal);
        }

        Assert.Equal(before, await fx.CronSnapshotAsync());
    }

    [Fact]
    public async Task A_payload_with_quotes_dollar_quotes_and_semicolons_is_stored_as_data_and_enqueues_exactly_it()
    {
        var name = fx.Prefix + "quoted";
        const string payload = """{"count":3,"note":"'); DROP TABLE job_queue; --","more":"$$; SELECT 1; $$","q":"\\'"}""";
        await fx.Api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/create",
            $$"""{"jobName":"{{name}}","schedule":"0 0 1 1 *","taskType":"test_echo","payload":{{payload}} }""", Credentials.Admin, 201);
        var before = await fx.Db.ScalarAsync<long>("SELECT count(*) FROM job_queue");

        var id = await fx.Db.ScalarAsync<Guid>(await fx.StoredCommandAsync(name));

        Assert.Equal(before + 1, await fx.Db.ScalarAsync<long>("SELECT count(*) FROM job_queue"));
        Assert.True(await fx.Db.ScalarAsync<bool>("SELECT payload = $2::jsonb AND task_type = 'test_echo' FROM job_queue WHERE id = $1", id, payload));
        await fx.Api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/delete", $$"""{"jobName":"{{name}}"}""", Credentials.Admin, 200);
    }

    [Fact]
    public async Task Install_standing_creates_the_three_jobs_once()
    {
        var first = await fx.Api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/install-standing", null, Credentials.Admin, 200);
        var second = await fx.Api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/install-standing", null, Credentials.Admin, 200);

        var created = first.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(3, created.Count);
        Assert.All(created, r => Assert.Equal("created", r.GetProperty("outcome").GetString()));
        Assert.All(created, r => Assert.EndsWith("." + fx.Db.Name, r.GetProperty("jobName").GetString(), StringComparison.Ordinal));
        Assert.All(second.GetProperty("results").EnumerateArray(), r => Assert.Equal("unchanged", r.GetProperty("outcome").GetString()));
        Assert.Equal(
            ["Every 30 minutes", "Hourly at minute 0", "Daily at 03:15 UTC"],
            created.Select(r => r.GetProperty("job").GetProperty("description").GetString()));

        foreach (var r in created)
        {
            await fx.Api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/delete", $$"""{"jobName":"{{r.GetProperty("jobName").GetString()}}"}""", Credentials.Admin, 200);
        }
    }

    private async Task EnsureJobAsync(string name)
    {
        var store = fx.Api.Services.GetRequiredService<CronJobStore>();
        if (!(await store.GetJobsAsync()).Any(j => j.Name == name))
        {
            await store.CreateAsync(new CronJobDefinition(name, "0 0 1 1 *", "test_echo"));
        }
    }
}
