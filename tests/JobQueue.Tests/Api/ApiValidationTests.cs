using JobQueue.Tests.Infrastructure;
using System.Text;
using System.Text.Json;
using JobQueue.Api;

namespace JobQueue.Tests.Api;

/// <summary>Bad input on every route that reads input: a 4xx problem naming the field, never a 5xx, nothing changed.</summary>
public sealed class ApiValidationTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    public static TheoryData<string, string, int, string?> BadBodies() => new()
    {
        // route name, body, status, field named in errors
        { "JobsRun", "{\"limit\":0}", 400, "limit" },
        { "JobsRun", "{\"limit\":1001}", 400, "limit" },
        { "JobsRun", "{\"limit\":\"5\"}", 400, "limit" },
        { "JobsRun", "{\"limit\":2.5}", 400, "limit" },
        { "JobsRun", "{\"limit\":1e30}", 400, "limit" },
        { "JobsRun", "{\"force\":\"yes\"}", 400, "force" },
        { "JobsRun", "{\"limit\":", 400, "body" },
        { "JobsRun", "[1,2]", 400, "body" },
        { "AdminSettingsPut", "{}", 400, "processingEnabled" },
        { "AdminSettingsPut", "{\"processingEnabled\":1}", 400, "processingEnabled" },
        { "AdminSettingsPut", "{\"processingEnabled\":false,\"pausedReason\":7}", 400, "pausedReason" },
        { "AdminSettingsPut", "{\"processingEnabled\":false,\"pausedReason\":\"" + new string('r', 501) + "\"}", 400, "pausedReason" },
        { "AdminSettingsPut", "not json", 400, "body" },
        { "AdminJobsEnqueue", "{}", 400, "taskType" },
        { "AdminJobsEnqueue", "{\"taskType\":\"nope\"}", 400, "taskType" },
        { "AdminJobsEnqueue", "{\"taskType\":5}", 400, "taskType" },
        { "AdminJobsEnqueue", "{\"taskType\":\"" + new string('t', 101) + "\"}", 400, "taskType" },
        { "AdminJobsEnqueue", "{\"taskType\":\"test_echo\",\"payload\":[1]}", 400, "payload" },
        { "AdminJobsEnqueue", "{\"taskType\":\"test_echo\",\"payload\":\"{}\"}", 400, "payload" },
        { "AdminJobsEnqueue", "{\"taskType\":\"test_echo\",\"payload\":{\"count\":11}}", 400, "payload.count" },
        { "AdminJobsEnqueue", "{\"taskType\":\"test_echo\",\"payload\":{\"count\":\"x\"}}", 400, "payload.count" },
        { "AdminJobsEnqueue", "{\"taskType\":\"test_echo\",\"payload\":{\"s\":\"a\\u0000b\"}}", 400, "payload" },
        { "AdminJobsEnqueue", "{\"taskType\":\"test_echo\",\"payload\":{\"s\":\"\\ud800\"}}", 400, "payload" },
        { "AdminJobsEnqueue", "{\"taskType\":\"test_echo\",\"payload\":{\"n\":1e999}}", 400, "payload" },
        { "AdminJobsEnqueue", "{\"taskType\":\"test_echo\",\"maxAttempts\":0}", 400, "maxAttempts" },
        { "AdminJobsEnqueue", "{\"taskType\":\"test_echo\",\"maxAttempts\":101}", 400, "maxAttempts" },
        { "AdminJobsEnqueue", "{\"taskType\":\"test_echo\",\"runAt\":\"tomorrow\"}", 400, "runAt" },
        { "AdminJobsEnqueue", "{\"taskType\":\"test_echo\",\"runAt\":12}", 400, "runAt" },
        { "AdminJobsEnqueue", "{\"taskType\":\"test_echo\",\"dedupeKey\":\"\"}", 400, "dedupeKey" },
        { "AdminJobsEnqueue", "{\"taskType\":\"test_echo\",\"dedupeKey\":\"" + new string('d', 201) + "\"}", 400, "dedupeKey" },
        { "AdminJobsEnqueue", "{\"taskType\":\"test\\u0000echo\"}", 400, "taskType" },
        { "AdminJobsEnqueue", "{\"taskType\":\"test_echo\",\"payload\":{\"big\":\"" + new string('p', 40 * 1024) + "\"}}", 400, "payload" },
        { "AdminJobsEnqueue", new string('[', 100) + new string(']', 100), 400, "body" },
        { "AdminJobsTriggerSync", "{\"dryRun\":\"true\"}", 400, "dryRun" },
        { "AdminJobsTriggerSync", "{\"coachId\":42}", 400, "coachId" },
        { "AdminJobsTriggerSync", "{\"coachId\":\"" + new string('c', 101) + "\"}", 400, "coachId" },
        { "AdminJobsTriggerSync", "{\"coachId\":\"\"}", 400, "coachId" },
        // values the job's handler would refuse are refused here (the handler validates, not a copy)
        { "AdminJobsTriggerSync", "{\"coachId\":\"   \"}", 400, "coachId" },
        { "AdminJobsTriggerTotalsSweep", "{\"coachId\":\" \",\"batchSize\":5}", 400, "coachId" },
        { "AdminJobsTriggerSync", "{\"dryRun\":true,}", 400, "body" },
        { "AdminJobsTriggerTotalsSweep", "{\"batchSize\":0}", 400, "batchSize" },
        { "AdminJobsTriggerTotalsSweep", "{\"batchSize\":1001}", 400, "batchSize" },
        { "AdminJobsTriggerTotalsSweep", "{\"batchSize\":\"100\"}", 400, "batchSize" },
        { "AdminJobsTriggerTotalsSweep", "{\"batchSize\":10,\"dryRun\":null,\"coachId\":[]}", 400, "coachId" },
        { "AdminJobsCancel", "{\"reason\":5}", 400, "reason" },
        { "AdminJobsRetry", "\"just a string\"", 400, "body" },
        { "AdminJobsRunNow", "{", 400, "body" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_bodies_get_400_naming_the_field_and_change_nothing(string routeName, string body, int status, string? field)
    {
        var (response, problem) = await SendAsync(routeName, body);
        Assert.Equal(status, (int)response);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        if (field is not null)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
        }
    }

    public static TheoryData<string> BodyRoutes()
    {
        var data = new TheoryData<string>();
        foreach (var route in ComposedApp.Routes.Where(r => r.Method != "GET"))
        {
            data.Add(route.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task Oversized_bodies_get_413_and_non_json_content_415(string routeName)
    {
        var huge = "{\"pad\":\"" + new string('x', ApiLimits.MaxBodyBytes) + "\"}";
        Assert.Equal(413, (await SendAsync(routeName, huge)).Status);
        Assert.Equal(415, (await SendAsync(routeName, "a=b", "application/x-www-form-urlencoded")).Status);
    }

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task A_json_body_without_the_json_content_type_gets_415_naming_the_header_and_changes_nothing(string routeName)
    {
        // text/plain and no type: what a cross-site form or "simple" request can send without a CORS preflight
        foreach (var contentType in new[] { "text/plain", null, "application/json; charset=iso-8859-1", "application/merge-patch+json" })
        {
            var (status, problem) = await SendAsync(routeName, "{}", contentType);
            Assert.Equal(415, status);
            Assert.True(problem.GetProperty("errors").TryGetProperty("Content-Type", out _), $"{contentType}: {problem}");
            Assert.Contains("Content-Type", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_json_content_type_may_carry_a_utf8_charset_and_a_request_without_a_body_needs_none()
    {
        var body = "{\"taskType\":\"test_echo\",\"runAt\":\"2099-01-01T00:00:00Z\"}";
        var before = await fixture.Api.SnapshotAsync();
        using (var refused = await fixture.Api.SendAsync(HttpMethod.Post, "/api/admin/jobs", body, Credentials.Admin, "text/plain"))
        {
            Assert.Equal(415, (int)refused.StatusCode);
        }

        Assert.Equal(before, await fixture.Api.SnapshotAsync());
        using var accepted = await fixture.Api.SendAsync(HttpMethod.Post, "/api/admin/jobs", body, Credentials.Admin, "Application/JSON; charset=UTF-8");
        Assert.Equal(201, (int)accepted.StatusCode);
        var jobId = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("jobId").GetString();

        // no body, no Content-Type: the defaults
        using var cancelled = await fixture.Api.SendAsync(HttpMethod.Post, $"/api/admin/jobs/{jobId}/cancel", null, Credentials.Admin, null);
        Assert.Equal(200, (int)cancelled.StatusCode);
    }

    public static TheoryData<string> HostileQueries() => new()
    {
        "limit=0", "limit=501", "limit=abc", "limit=99999999999999999999", "status=done", "status=pending&status=failed",
        "cursor=garbage", "cursor=" + Convert.ToBase64String(Encoding.UTF8.GetBytes("x|y")), "taskType=" + new string('t', 101),
        "taskType=%00", "limit=-1",
    };

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public async Task Bad_list_queries_get_400(string query)
    {
        var before = await fixture.Api.SnapshotAsync();
        using var response = await fixture.Api.SendAsync(HttpMethod.Get, "/api/admin/jobs?" + query, null, Credentials.Admin);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await fixture.Api.SnapshotAsync());
    }

    [Fact]
    public async Task Unknown_routes_and_methods_get_problem_responses()
    {
        using var missing = await fixture.Api.SendAsync(HttpMethod.Get, "/api/nope", null, Credentials.Admin);
        Assert.Equal(404, (int)missing.StatusCode);
        using var wrongMethod = await fixture.Api.SendAsync(HttpMethod.Delete, "/api/admin/jobs", null, Credentials.Admin);
        Assert.Equal(405, (int)wrongMethod.StatusCode);
    }

    private async Task<(int Status, JsonElement Problem)> SendAsync(string routeName, string body, string? contentType = "application/json")
    {
        var route = ComposedApp.Routes.Single(r => r.Name == routeName);
        var credentials = route.Auth == ApiAuth.Runner ? Credentials.Runner : Credentials.Admin;
        var before = await fixture.Api.SnapshotAsync();
        using var response = await fixture.Api.SendAsync(new HttpMethod(route.Method), fixture.PathOf(route), body, credentials, contentType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{routeName} {body}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await fixture.Api.SnapshotAsync());
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
