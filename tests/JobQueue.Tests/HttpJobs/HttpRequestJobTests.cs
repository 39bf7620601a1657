using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using static JobQueue.Tests.Infrastructure.HttpReceiver;

namespace JobQueue.Tests.HttpJobs;

/// <summary>
/// <c>http_request</c> jobs end to end on the server app: created through the admin API, run by the
/// HTTP runner, calling a real receiver on loopback that answers scripted statuses.
/// </summary>
public sealed class HttpRequestJobTests(HttpJobsFixture fixture) : IClassFixture<HttpJobsFixture>
{
    private HttpReceiver Receiver => fixture.Receiver;

    [Fact]
    public async Task A_secret_header_is_delivered_and_the_secret_is_in_no_job_output_list_or_log()
    {
        var path = NewPath("worker");
        // the endpoint echoes the header back: the echo must not carry the key into the job's output
        Receiver.Default(path, new Reply(200, "{\"seen\":\"{header:Authorization}\",\"done\":true}"));
        var id = await fixture.EnqueueAsync("http_request", new
        {
            url = Receiver.Url(path),
            headers = new Dictionary<string, object>
            {
                ["Authorization"] = new { secret = HttpJobsFixture.SecretName, format = "Bearer {0}" },
                ["X-Source"] = "jobqueue-test",
            },
            body = new { limit = 5, runs = 1 },
        });

        await fixture.RunAsync();

        var request = Assert.Single(Receiver.Requests(path));
        Assert.Equal("POST", request.Method);
        Assert.Equal("Bearer " + HttpJobsFixture.SecretValue, request.Header("Authorization"));
        Assert.Equal("jobqueue-test", request.Header("X-Source"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"limit\":5,\"runs\":1}"), JsonNode.Parse(request.Body)), request.Body);
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);

        var job = await fixture.JobAsync(id);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        var output = job.GetProperty("output");
        Assert.Equal(200, output.GetProperty("status").GetInt32());
        Assert.True(output.GetProperty("durationMs").GetInt64() >= 0);
        // the request carried a secret: the body's size and hash are kept, not the body
        var echoed = System.Text.Encoding.UTF8.GetBytes($"{{\"seen\":\"Bearer {HttpJobsFixture.SecretValue}\",\"done\":true}}");
        Assert.False(output.TryGetProperty("body", out _), output.ToString());
        Assert.False(output.GetProperty("bodyKept").GetBoolean());
        Assert.Equal(echoed.Length, output.GetProperty("bodyBytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(echoed)), output.GetProperty("bodySha256").GetString());
        Assert.Equal(HttpJobsFixture.SecretName, job.GetProperty("payload").GetProperty("headers").GetProperty("Authorization").GetProperty("secret").GetString());

        using var list = await fixture.Api.SendAsync(HttpMethod.Get, "/api/admin/jobs?taskType=http_request&limit=500", null, Credentials.Admin);
        var everything = new[]
        {
            job.GetRawText(), await list.Content.ReadAsStringAsync(), await fixture.RowsAsync(id),
            string.Join("\n", fixture.Logs.Lines),
        };
        Assert.All(everything, text => Assert.DoesNotContain(HttpJobsFixture.SecretValue, text, StringComparison.Ordinal));
        Assert.Contains(fixture.Logs.Lines, l => l.Contains(id.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_404_fails_for_good_with_the_status_and_a_body_excerpt()
    {
        var path = NewPath("missing");
        Receiver.Default(path, new Reply(404, "no such function: daily-invoices"));
        var id = await fixture.EnqueueAsync("http_request", new { url = Receiver.Url(path) }, maxAttempts: 5);

        await fixture.RunAsync();

        Assert.Single(Receiver.Requests(path));
        var job = await fixture.JobAsync(id);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        var error = job.GetProperty("lastError").GetString()!;
        Assert.Contains("HTTP 404", error, StringComparison.Ordinal);
        Assert.Contains("no such function: daily-invoices", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_to_the_same_host_is_followed_and_one_to_another_host_is_not()
    {
        var moved = NewPath("moved");
        var final = NewPath("final");
        Receiver.Default(moved, new Reply(307, "", new Dictionary<string, string> { ["Location"] = final }));
        Receiver.Default(final, new Reply(200, "arrived"));
        var followed = await fixture.EnqueueAsync("http_request", new { url = Receiver.Url(moved), body = new { a = 1 } });

        var away = NewPath("away");
        Receiver.Default(away, new Reply(302, "", new Dictionary<string, string> { ["Location"] = $"http://127.0.0.2:{Receiver.Port}{final}" }));
        var refused = await fixture.EnqueueAsync("http_request", new
        {
            url = Receiver.Url(away),
            headers = new { Authorization = new { secret = HttpJobsFixture.SecretName } },
        });

        await fixture.RunAsync();

        var arrived = Assert.Single(Receiver.Requests(final));
        Assert.Equal("POST", arrived.Method);
        Assert.Equal("{\"a\":1}", arrived.Body);
        Assert.Equal("succeeded", (await fixture.JobAsync(followed)).GetProperty("status").GetString());

        Assert.Single(Receiver.Requests(away));
        var job = await fixture.JobAsync(refused);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Contains("was not followed", job.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Receiver.All, r => r.Path == final && r.Header("Authorization") is not null);
    }

    [Fact]
    public async Task A_host_outside_the_allow_list_is_refused_at_enqueue_and_nothing_is_stored()
    {
        var before = await fixture.Api.SnapshotAsync();
        foreach (var url in new[] { "https://evil.example.com/steal", "https://example.test/apex-is-not-a-subdomain", "ftp://127.0.0.1/x", "not a url" })
        {
            var body = JsonSerializer.Serialize(new { taskType = "http_request", payload = new { url } });
            var problem = await fixture.Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", body, Credentials.Admin, 400);
            Assert.True(problem.GetProperty("errors").TryGetProperty("payload.url", out var reasons), problem.ToString());
            Assert.Contains(url.StartsWith("https", StringComparison.Ordinal) ? "HttpJobs:AllowedHosts" : "absolute http or https URL",
                reasons[0].GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await fixture.Api.SnapshotAsync());
        var allowed = await fixture.EnqueueAsync("http_request", new { url = "https://api.example.test/ok", method = "GET" });
        Assert.NotEqual(Guid.Empty, allowed);
        await fixture.Api.JsonAsync(HttpMethod.Post, $"/api/admin/jobs/{allowed}/cancel", "{}", Credentials.Admin, 200);
    }

    [Fact]
    public async Task A_host_outside_the_allow_list_fails_for_good_at_run_time_without_a_request()
    {
        var path = NewPath("sneaky");
        // enqueued straight in SQL (as a trigger or an old cron command would): localhost reaches the receiver, but is not listed
        var payload = JsonSerializer.Serialize(new { url = $"http://localhost:{Receiver.Port}{path}" });
        var id = await fixture.Db.ScalarAsync<Guid>("SELECT job_queue_enqueue('http_request', $1::jsonb, now(), 5)", payload);

        await fixture.RunAsync();

        Assert.Empty(Receiver.Requests(path));
        var job = await fixture.JobAsync(id);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        Assert.Contains("host localhost is not in HttpJobs:AllowedHosts", job.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_credential_header_must_be_a_secret_reference_and_reserved_secrets_cannot_be_sent()
    {
        var before = await fixture.Api.SnapshotAsync();
        var literal = JsonSerializer.Serialize(new
        {
            taskType = "http_request",
            payload = new { url = "https://api.example.test/x", headers = new { Authorization = "Bearer eyJhbGciOi.literal.key", apikey = "plain" } },
        });
        var problem = await fixture.Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", literal, Credentials.Admin, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("payload.headers.Authorization", out _), problem.ToString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("payload.headers.apikey", out _), problem.ToString());

        var reserved = JsonSerializer.Serialize(new
        {
            taskType = "http_request",
            payload = new { url = "https://api.example.test/x", headers = new { Authorization = new { secret = "admin-token" } } },
        });
        problem = await fixture.Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", reserved, Credentials.Admin, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("payload.headers.Authorization.secret", out _), problem.ToString());

        var badTimeout = JsonSerializer.Serialize(new { taskType = "http_request", payload = new { url = "https://api.example.test/x", timeoutSeconds = 601 } });
        problem = await fixture.Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", badTimeout, Credentials.Admin, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("payload.timeoutSeconds", out _), problem.ToString());
        Assert.Equal(before, await fixture.Api.SnapshotAsync());
    }

    [Fact]
    public async Task A_missing_secret_fails_the_job_for_good_without_a_request()
    {
        var path = NewPath("unkeyed");
        var id = await fixture.EnqueueAsync("http_request", new
        {
            url = Receiver.Url(path),
            headers = new { apikey = new { secret = "not-stored-anywhere" } },
        });

        await fixture.RunAsync();

        Assert.Empty(Receiver.Requests(path));
        var job = await fixture.JobAsync(id);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Contains("secret 'not-stored-anywhere' is not configured", job.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Success_statuses_can_be_narrowed_and_widened()
    {
        var created = NewPath("created");
        Receiver.Default(created, new Reply(202, "accepted"));
        var narrow = await fixture.EnqueueAsync("http_request", new { url = Receiver.Url(created), successStatus = 201 });
        var gone = NewPath("gone");
        Receiver.Default(gone, new Reply(410, "already deleted"));
        var wide = await fixture.EnqueueAsync("http_request", new { url = Receiver.Url(gone), method = "DELETE", successStatus = new object[] { "2xx", 404, 410 } });

        await fixture.RunAsync();

        Assert.Equal("failed", (await fixture.JobAsync(narrow)).GetProperty("status").GetString());
        var deleted = await fixture.JobAsync(wide);
        Assert.Equal("succeeded", deleted.GetProperty("status").GetString());
        Assert.Equal(410, deleted.GetProperty("output").GetProperty("status").GetInt32());
        Assert.Equal("DELETE", Assert.Single(Receiver.Requests(gone)).Method);
    }

    [Fact]
    public async Task Responses_are_cut_to_4_KiB_in_the_output()
    {
        var path = NewPath("big");
        Receiver.Default(path, new Reply(200, new string('x', 10_000)));
        var id = await fixture.EnqueueAsync("http_request", new { url = Receiver.Url(path), method = "GET" });

        await fixture.RunAsync();

        var output = (await fixture.JobAsync(id)).GetProperty("output");
        Assert.Equal(4096, output.GetProperty("body").GetString()!.Length);
        Assert.True(output.GetProperty("bodyTruncated").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (HttpStatusCode)output.GetProperty("status").GetInt32());
    }
}
