using System.Text.Json;
using JobQueue.Api;
using JobQueue.Handlers;
using JobQueue.Runner;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Api;

/// <summary>
/// The audit log (Database/Schema/functions/audit/, <see cref="AdminAudit"/>): every changing admin route records who,
/// what, target, when and outcome, refusals included; reads are not recorded, nor requests without
/// valid credentials; GET admin/audit pages through it; the cleanup job prunes it.
/// </summary>
public sealed class AuditApiTests : ApiServerTest
{
    public override async Task DisposeAsync()
    {
        // install-standing scheduled pg_cron jobs into this database
        await CronTestDatabase.DeleteJobsAsync(Api.Services.GetRequiredService<JobQueue.Cron.CronJobStore>(), Db.Name, "none-");
        await base.DisposeAsync();
    }

    public static TheoryData<string> ChangingAdminRoutes()
    {
        var data = new TheoryData<string>();
        foreach (var route in ComposedApp.Routes.Where(r => r.Auth == ApiAuth.Admin && r.Method != "GET"))
        {
            data.Add(route.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ChangingAdminRoutes))]
    public async Task Every_changing_admin_route_is_recorded_with_actor_action_target_and_outcome(string routeName)
    {
        var route = ComposedApp.Routes.Single(r => r.Name == routeName);
        var job = await Db.ScalarAsync<Guid>("SELECT job_queue_enqueue('test_echo', '{}'::jsonb, now() + interval '1 day', 3)");
        var path = "/api/" + route.Template.Replace("{id}", job.ToString(), StringComparison.Ordinal);
        var before = await Db.ScalarAsync<long>("SELECT count(*) FROM job_queue_audit");

        using var response = await Api.SendAsync(new HttpMethod(route.Method), path, BodyOf(routeName), Credentials.Admin);
        var status = (int)response.StatusCode;
        Assert.True(status < 500, $"{routeName}: {status} {await response.Content.ReadAsStringAsync()}");

        Assert.Equal(before + 1, await Db.ScalarAsync<long>("SELECT count(*) FROM job_queue_audit"));
        var entry = await LatestAsync();
        Assert.Equal("admin-token", entry.GetProperty("actor").GetString());
        Assert.Equal(status, entry.GetProperty("status").GetInt32());
        Assert.Equal(status < 400 ? "ok" : "refused", entry.GetProperty("outcome").GetString());
        Assert.False(string.IsNullOrEmpty(entry.GetProperty("action").GetString()));
        Assert.True(DateTimeOffset.UtcNow - entry.GetProperty("at").GetDateTimeOffset() < TimeSpan.FromMinutes(1));
        if (route.Template.Contains("{id}", StringComparison.Ordinal))
        {
            Assert.Equal(job.ToString(), entry.GetProperty("target").GetString());
        }
    }

    [Fact]
    public async Task Refusals_are_recorded_with_their_reason_and_anonymous_or_read_requests_are_not()
    {
        var done = await Db.ScalarAsync<Guid>("SELECT job_queue_enqueue('test_echo', '{}'::jsonb, now(), 3)");
        await Api.JsonAsync(HttpMethod.Post, $"/api/admin/jobs/{done}/retry", null, Credentials.Admin, 409);
        var conflict = await LatestAsync();
        Assert.Equal("job.retry", conflict.GetProperty("action").GetString());
        Assert.Equal("refused", conflict.GetProperty("outcome").GetString());
        Assert.Equal(409, conflict.GetProperty("status").GetInt32());
        Assert.Contains("pending", conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await Api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/create", "{\"jobName\":\"x y\",\"schedule\":\"* * *\",\"taskType\":\"test_echo\"}", Credentials.Admin, 400);
        var invalid = await LatestAsync();
        Assert.Equal("cron.create", invalid.GetProperty("action").GetString());
        Assert.Contains("schedule", invalid.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var count = await Db.ScalarAsync<long>("SELECT count(*) FROM job_queue_audit");
        await Api.SendAsync(HttpMethod.Post, $"/api/admin/jobs/{done}/cancel", "{}", Credentials.None);
        await Api.SendAsync(HttpMethod.Post, $"/api/admin/jobs/{done}/cancel", "{}", Credentials.WrongBearer);
        await Api.SendAsync(HttpMethod.Get, "/api/admin/jobs", null, Credentials.Admin);
        await Api.SendAsync(HttpMethod.Post, "/api/admin/jobs/bulk-cancel", "{\"dryRun\":true}", Credentials.Admin);
        Assert.Equal(count, await Db.ScalarAsync<long>("SELECT count(*) FROM job_queue_audit"));
        Assert.Equal("pending", await Db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", done));

        // a signed-in principal without the admin role is known: its refused attempt is recorded
        await Api.SendAsync(HttpMethod.Post, $"/api/admin/jobs/{done}/cancel", "{}", Credentials.PrincipalWithoutRole);
        var forbidden = await LatestAsync();
        Assert.Equal("principal:bob@example.com", forbidden.GetProperty("actor").GetString());
        Assert.Equal(403, forbidden.GetProperty("status").GetInt32());
        Assert.Equal(done.ToString(), forbidden.GetProperty("target").GetString());
    }

    [Fact]
    public async Task Actions_name_their_target_and_what_they_did()
    {
        var enqueued = (await Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", "{\"taskType\":\"test_echo\",\"payload\":{\"count\":2}}", Credentials.Admin, 201))
            .GetProperty("jobId").GetGuid();
        var entry = await LatestAsync();
        Assert.Equal("job.enqueue", entry.GetProperty("action").GetString());
        Assert.Equal(enqueued.ToString(), entry.GetProperty("target").GetString());
        Assert.Equal("test_echo", entry.GetProperty("detail").GetString());

        await Api.JsonAsync(HttpMethod.Put, "/api/admin/job-queue/settings", "{\"processingEnabled\":false,\"pausedReason\":\"upgrade\"}", Credentials.Admin, 200);
        entry = await LatestAsync();
        Assert.Equal("settings.update", entry.GetProperty("action").GetString());
        Assert.Equal("paused: upgrade", entry.GetProperty("detail").GetString());

        await Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs/bulk-cancel", "{\"taskType\":\"test_echo\",\"reason\":\"tidy\"}", Credentials.Admin, 200);
        entry = await LatestAsync();
        Assert.Equal("jobs.bulk-cancel", entry.GetProperty("action").GetString());
        Assert.Equal("taskType = test_echo", entry.GetProperty("target").GetString());
        Assert.Equal("matched 1, changed 1; reason: tidy", entry.GetProperty("detail").GetString());

        await Api.SendAsync(HttpMethod.Post, "/api/admin/jobs/cancel-me/cancel", "{}", Credentials.PrincipalWithRole);
        entry = await LatestAsync();
        Assert.Equal("principal:alice@example.com", entry.GetProperty("actor").GetString());
        Assert.Equal("cancel-me", entry.GetProperty("target").GetString());
        Assert.Equal(400, entry.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task The_log_pages_newest_first_and_filters_by_action()
    {
        for (var i = 0; i < 5; i++)
        {
            await Api.JsonAsync(HttpMethod.Put, "/api/admin/job-queue/settings", $"{{\"processingEnabled\":{(i % 2 == 0 ? "false" : "true")}}}", Credentials.Admin, 200);
        }

        await Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", "{\"taskType\":\"test_echo\"}", Credentials.Admin, 201);
        var first = await Api.JsonAsync(HttpMethod.Get, "/api/admin/audit?limit=4", null, Credentials.Admin, 200);
        var ids = first.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(4, ids.Count);
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal("job.enqueue", first.GetProperty("entries")[0].GetProperty("action").GetString());
        var second = await Api.JsonAsync(HttpMethod.Get, $"/api/admin/audit?limit=4&cursor={first.GetProperty("nextCursor").GetString()}", null, Credentials.Admin, 200);
        var more = second.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(2, more.Count);
        Assert.True(more.Max() < ids.Min());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        var settings = await Api.JsonAsync(HttpMethod.Get, "/api/admin/audit?action=settings.update", null, Credentials.Admin, 200);
        Assert.Equal(5, settings.GetProperty("entries").GetArrayLength());
        await Api.JsonAsync(HttpMethod.Get, "/api/admin/audit?cursor=abc", null, Credentials.Admin, 400);
        await Api.JsonAsync(HttpMethod.Get, "/api/admin/audit?limit=0", null, Credentials.Admin, 400);
    }

    [Fact]
    public async Task The_cleanup_job_prunes_entries_older_than_the_audit_retention()
    {
        await Db.ExecuteAsync("INSERT INTO job_queue_audit (at, actor, action, outcome, status) " +
                              "SELECT now() - interval '100 days', 'admin-token', 'job.retry', 'ok', 200 FROM generate_series(1, 3)");
        await Db.ExecuteAsync("INSERT INTO job_queue_audit (at, actor, action, outcome, status) VALUES (now() - interval '10 days', 'admin-token', 'job.retry', 'ok', 200)");
        var cleanup = (await Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", $"{{\"taskType\":\"{CleanupHandler.Name}\",\"payload\":{{\"auditRetentionDays\":30}}}}", Credentials.Admin, 201))
            .GetProperty("jobId").GetGuid();
        await Api.Services.GetRequiredService<JobRunner>().RunPassAsync(new RunPassRequest(1, Force: true));

        Assert.Equal("succeeded", await Db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", cleanup));
        Assert.Contains("\"deletedAuditEntries\": 3", await Db.ScalarAsync<string>("SELECT output::text FROM job_queue WHERE id = $1", cleanup), StringComparison.Ordinal);
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM job_queue_audit WHERE at < now() - interval '30 days'"));
        Assert.Equal(1L, await Db.ScalarAsync<long>("SELECT count(*) FROM job_queue_audit WHERE at < now() - interval '5 days'"));
    }

    private static string? BodyOf(string routeName) => routeName switch
    {
        "AdminJobsEnqueue" => "{\"taskType\":\"test_echo\"}",
        "AdminSettingsPut" => "{\"processingEnabled\":true}",
        "AdminCronJobsCreate" => "{\"jobName\":\"x y\",\"schedule\":\"* * * * *\",\"taskType\":\"test_echo\"}",
        "AdminCronJobsToggle" or "AdminCronJobsSchedule" or "AdminCronJobsDelete" => "{\"jobName\":\"no-such-job-audit\",\"active\":true,\"schedule\":\"* * * * *\"}",
        "AdminJobsBulkRetry" or "AdminJobsBulkCancel" => "{\"taskType\":\"no_such_type\"}",
        _ => "{}",
    };

    private async Task<JsonElement> LatestAsync()
    {
        var page = await Api.JsonAsync(HttpMethod.Get, "/api/admin/audit?limit=1", null, Credentials.Admin, 200);
        return page.GetProperty("entries")[0];
    }
}
