using System.Net;
using System.Text.Json;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Api;

/// <summary>Every route's happy path through the real pipeline and database, with the exact response shapes.</summary>
public sealed class ApiHappyPathTests : ApiServerTest
{
    [Fact]
    public async Task Runner_pass_returns_the_report_callers_read()
    {
        var ok = await EnqueueAsync("{\"taskType\":\"test_echo\",\"payload\":{\"count\":3}}");
        var failing = await EnqueueAsync("{\"taskType\":\"test_echo\",\"payload\":{\"fail\":true},\"maxAttempts\":1}");

        var report = await Api.JsonAsync(HttpMethod.Post, "/api/jobs/run", "{\"limit\":5}", Credentials.Runner, 200);

        Assert.Equal("ok", report.GetProperty("status").GetString());
        Assert.Equal(2, report.GetProperty("processed").GetInt32());
        Assert.Equal(1, report.GetProperty("succeeded").GetInt32());
        Assert.Equal(1, report.GetProperty("failed").GetInt32());
        var results = report.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetGuid());
        Assert.Equal("succeeded", results[ok].GetProperty("status").GetString());
        Assert.Equal("test_echo", results[ok].GetProperty("taskType").GetString());
        Assert.Equal(1, results[ok].GetProperty("attempts").GetInt32());
        Assert.True(results[ok].GetProperty("durationMs").GetInt64() >= 0);
        Assert.Equal(JsonValueKind.Null, results[ok].GetProperty("lastError").ValueKind);
        Assert.Equal("failed", results[failing].GetProperty("status").GetString());
        Assert.Contains("asked to fail", results[failing].GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, await Db.ScalarAsync<int>("SELECT (output->>'echoed')::int FROM job_queue WHERE id = $1", ok));
    }

    [Fact]
    public async Task Runner_accepts_a_bearer_token_the_previous_secret_and_an_empty_body()
    {
        await Api.JsonAsync(HttpMethod.Post, "/api/jobs/run", null, Credentials.RunnerBearer, 200);
        var report = await Api.JsonAsync(HttpMethod.Post, "/api/jobs/run", "{}", Credentials.PreviousRunner, 200);
        Assert.Equal(0, report.GetProperty("processed").GetInt32());
    }

    [Fact]
    public async Task Pause_stops_the_runner_even_when_forced_and_resume_clears_the_reason()
    {
        var id = await EnqueueAsync("{\"taskType\":\"test_echo\"}");
        var paused = await Api.JsonAsync(HttpMethod.Put, "/api/admin/job-queue/settings",
            "{\"processingEnabled\":false,\"pausedReason\":\"maintenance\"}", Credentials.Admin, 200);
        Assert.False(paused.GetProperty("processingEnabled").GetBoolean());
        Assert.Equal("maintenance", paused.GetProperty("pausedReason").GetString());
        Assert.Equal("admin:admin-token", paused.GetProperty("updatedBy").GetString());

        var report = await Api.JsonAsync(HttpMethod.Post, "/api/jobs/run", "{}", Credentials.Runner, 200);
        Assert.Equal("paused", report.GetProperty("status").GetString());
        Assert.Equal("pending", await Db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", id));

        var forced = await Api.JsonAsync(HttpMethod.Post, "/api/jobs/run", "{\"force\":true}", Credentials.Runner, 200);
        Assert.Equal("paused", forced.GetProperty("status").GetString());
        Assert.Equal(0, forced.GetProperty("processed").GetInt32());
        Assert.Equal("pending", await Db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", id));

        var settings = await Api.JsonAsync(HttpMethod.Get, "/api/admin/job-queue/settings", null, Credentials.Admin, 200);
        Assert.False(settings.GetProperty("processingEnabled").GetBoolean());
        var resumed = await Api.JsonAsync(HttpMethod.Put, "/api/admin/job-queue/settings", "{\"processingEnabled\":true}", Credentials.PrincipalWithRole, 200);
        Assert.True(resumed.GetProperty("processingEnabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, resumed.GetProperty("pausedReason").ValueKind);
        Assert.Equal("admin:principal:alice@example.com", resumed.GetProperty("updatedBy").GetString());
    }

    [Fact]
    public async Task Health_reports_counts_and_pause_state()
    {
        await EnqueueAsync("{\"taskType\":\"test_echo\"}");
        var health = await Api.JsonAsync(HttpMethod.Get, "/api/admin/job-queue/health", null, Credentials.Admin, 200);
        Assert.Equal(1, health.GetProperty("counts").GetProperty("pending").GetInt32());
        Assert.True(health.GetProperty("processingEnabled").GetBoolean());
        Assert.Equal(JsonValueKind.Array, health.GetProperty("stuckJobs").ValueKind);
        Assert.Equal(JsonValueKind.Array, health.GetProperty("recentFailures").ValueKind);
        Assert.Equal(JsonValueKind.Array, health.GetProperty("recentRuns").ValueKind);
        Assert.True(health.TryGetProperty("oldestPendingAgeSeconds", out _));
    }

    [Fact]
    public async Task List_filters_and_pages_newest_first_with_a_cursor()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await EnqueueAsync($"{{\"taskType\":\"test_echo\",\"payload\":{{\"count\":{i}}}}}"));
            await Task.Delay(2); // the list is ordered by id, whose time part counts milliseconds
        }

        await Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs/" + ids[0] + "/cancel", null, Credentials.Admin, 200);

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await Api.JsonAsync(HttpMethod.Get,
                "/api/admin/jobs?status=pending&taskType=test_echo&limit=2" + (cursor is null ? "" : "&cursor=" + cursor), null, Credentials.Admin, 200);
            seen.AddRange(page.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(ids.Skip(1).Reverse(), seen);
        var cancelled = await Api.JsonAsync(HttpMethod.Get, "/api/admin/jobs?status=cancelled", null, Credentials.Admin, 200);
        Assert.Equal(ids[0], Assert.Single(cancelled.GetProperty("jobs").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Get_returns_the_job_with_payload_output_and_attempt_history()
    {
        var id = await EnqueueAsync("{\"taskType\":\"test_echo\",\"payload\":{\"count\":7},\"maxAttempts\":2}");
        await Api.JsonAsync(HttpMethod.Post, "/api/jobs/run", "{}", Credentials.Runner, 200);

        var job = await Api.JsonAsync(HttpMethod.Get, "/api/admin/jobs/" + id, null, Credentials.Admin, 200);

        Assert.Equal(id, job.GetProperty("id").GetGuid());
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal(7, job.GetProperty("payload").GetProperty("count").GetInt32());
        Assert.Equal(7, job.GetProperty("output").GetProperty("echoed").GetInt32());
        Assert.Equal(2, job.GetProperty("maxAttempts").GetInt32());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        var attempt = Assert.Single(job.GetProperty("attemptHistory").EnumerateArray());
        Assert.Equal("succeeded", attempt.GetProperty("outcome").GetString());
        Assert.Equal(1, attempt.GetProperty("attempt").GetInt32());
    }

    [Fact]
    public async Task Enqueue_stores_every_field_and_a_dedupe_key_returns_the_live_job()
    {
        var runAt = DateTimeOffset.UtcNow.AddHours(1);
        using var response = await Api.SendAsync(HttpMethod.Post, "/api/admin/jobs",
            $"{{\"taskType\":\"test_echo\",\"payload\":{{\"count\":2}},\"runAt\":\"{runAt:O}\",\"maxAttempts\":4,\"dedupeKey\":\"k1\"}}", Credentials.Admin);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(body.GetProperty("success").GetBoolean());
        var id = body.GetProperty("jobId").GetGuid();
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));

        Assert.Equal(4, await Db.ScalarAsync<int>("SELECT max_attempts FROM job_queue WHERE id = $1", id));
        Assert.Equal("k1", await Db.ScalarAsync<string>("SELECT dedupe_key FROM job_queue WHERE id = $1", id));
        Assert.Equal("admin:admin-token", await Db.ScalarAsync<string>("SELECT triggered_by FROM job_queue WHERE id = $1", id));
        Assert.True(await Db.ScalarAsync<bool>("SELECT abs(extract(epoch FROM run_at - $2)) < 0.001 FROM job_queue WHERE id = $1", id, runAt.UtcDateTime));

        Assert.Equal(id, await EnqueueAsync("{\"taskType\":\"test_echo\",\"dedupeKey\":\"k1\"}"));
        Assert.Equal(1L, await Db.ScalarAsync<long>("SELECT count(*) FROM job_queue"));
    }

    [Theory]
    [InlineData("trigger-sync", "game_platform_sync", "{\"dryRun\":true,\"coachId\":\"coach-42\"}", "{\"dryRun\": true, \"coachId\": \"coach-42\"}")]
    [InlineData("trigger-sync", "game_platform_sync", null, "{\"dryRun\": false}")]
    [InlineData("trigger-totals-sweep", "game_platform_totals_sweep", "{\"dryRun\":false,\"batchSize\":250}", "{\"dryRun\": false, \"batchSize\": 250}")]
    public async Task Triggers_enqueue_their_task_type_with_the_validated_payload(string route, string taskType, string? body, string expectedPayload)
    {
        var result = await Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs/" + route, body, Credentials.Admin, 200);

        Assert.True(result.GetProperty("success").GetBoolean());
        Assert.False(string.IsNullOrEmpty(result.GetProperty("message").GetString()));
        var id = result.GetProperty("jobId").GetGuid();
        Assert.Equal(taskType, await Db.ScalarAsync<string>("SELECT task_type FROM job_queue WHERE id = $1", id));
        Assert.Equal(expectedPayload, await Db.ScalarAsync<string>("SELECT payload::text FROM job_queue WHERE id = $1", id));
    }

    [Fact]
    public async Task Retry_cancel_and_run_now_act_where_the_state_allows_and_409_otherwise()
    {
        var later = await EnqueueAsync($"{{\"taskType\":\"test_echo\",\"runAt\":\"{DateTimeOffset.UtcNow.AddDays(1):O}\"}}");

        var ran = await Api.JsonAsync(HttpMethod.Post, $"/api/admin/jobs/{later}/run-now", null, Credentials.Admin, 200);
        Assert.Equal("pending", ran.GetProperty("status").GetString());
        Assert.True(await Db.ScalarAsync<bool>("SELECT run_at <= now() FROM job_queue WHERE id = $1", later));

        await Api.JsonAsync(HttpMethod.Post, $"/api/admin/jobs/{later}/retry", null, Credentials.Admin, 409);

        var cancelled = await Api.JsonAsync(HttpMethod.Post, $"/api/admin/jobs/{later}/cancel", "{\"reason\":\"not needed\"}", Credentials.Admin, 200);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Contains("not needed", await Db.ScalarAsync<string>("SELECT last_error FROM job_queue WHERE id = $1", later), StringComparison.Ordinal);

        var before = await Api.SnapshotAsync();
        var conflict = await Api.JsonAsync(HttpMethod.Post, $"/api/admin/jobs/{later}/cancel", null, Credentials.Admin, 409);
        Assert.Contains("cancelled", conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await Api.JsonAsync(HttpMethod.Post, $"/api/admin/jobs/{later}/run-now", null, Credentials.Admin, 409);
        Assert.Equal(before, await Api.SnapshotAsync());

        var retried = await Api.JsonAsync(HttpMethod.Post, $"/api/admin/jobs/{later}/retry", null, Credentials.Admin, 200);
        Assert.Equal("pending", retried.GetProperty("status").GetString());
        Assert.Equal(0, await Db.ScalarAsync<int>("SELECT attempts FROM job_queue WHERE id = $1", later));
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("POST", "/retry")]
    [InlineData("POST", "/cancel")]
    [InlineData("POST", "/run-now")]
    public async Task Unknown_job_ids_get_404_and_malformed_ids_400(string method, string suffix)
    {
        await EnqueueAsync("{\"taskType\":\"test_echo\"}");
        var before = await Api.SnapshotAsync();
        var missing = await Api.JsonAsync(new HttpMethod(method), $"/api/admin/jobs/{Guid.NewGuid()}{suffix}", null, Credentials.Admin, 404);
        Assert.Equal(404, missing.GetProperty("status").GetInt32());
        var malformed = await Api.JsonAsync(new HttpMethod(method), $"/api/admin/jobs/not-a-uuid{suffix}", null, Credentials.Admin, 400);
        Assert.True(malformed.GetProperty("errors").TryGetProperty("id", out _));
        Assert.Equal(before, await Api.SnapshotAsync());
    }

    private async Task<Guid> EnqueueAsync(string body) =>
        (await Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", body, Credentials.Admin, 201)).GetProperty("jobId").GetGuid();
}
