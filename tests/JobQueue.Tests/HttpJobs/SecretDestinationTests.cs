using System.Text.Json;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using Npgsql;
using static JobQueue.Tests.Infrastructure.HttpReceiver;

namespace JobQueue.Tests.HttpJobs;

/// <summary>
/// A secret goes only where <c>HttpJobs:SecretDestinations</c> lets it, and the app's own secrets go
/// nowhere, whoever enqueues: the admin API is refused with a 400 naming the header; the runtime database
/// login (the attacker who enqueues in SQL, directly or through a pg_cron job) gets a job that fails for
/// good before any request, so the receiver on loopback sees nothing; a redirect outside the secret's
/// destinations is not followed.
/// </summary>
public sealed class SecretDestinationTests(HttpJobsFixture fixture) : IClassFixture<HttpJobsFixture>
{
    private HttpReceiver Receiver => fixture.Receiver;

    public static TheoryData<string> AppSecretNames =>
    [
        "admin-token", "admin-token-previous", "ADMIN-TOKEN-PREVIOUS", "job-runner-secret", "job-runner-secret-previous",
        "database-connection-string", "game-platform-api-key", "game-platform-api-key-previous", "stats-cache-invalidation-token",
        "stats-cache-invalidation-token-previous",
    ];

    [Theory]
    [MemberData(nameof(AppSecretNames))]
    public async Task An_app_secret_enqueued_in_sql_by_the_runtime_login_fails_for_good_and_reaches_no_one(string secret)
    {
        var path = NewPath("leak");
        var id = await EnqueueAsRuntimeLoginAsync(new { url = Receiver.Url(path), headers = new Dictionary<string, object> { ["X-Leak"] = new { secret } } });

        var job = await fixture.RunExpectingFailureWithoutRequestAsync(id, path, "the app's own secrets");

        var refused = await fixture.Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", JsonSerializer.Serialize(new
        {
            taskType = "http_request",
            payload = new { url = Receiver.Url(path), headers = new Dictionary<string, object> { ["X-Leak"] = new { secret } } },
        }), Credentials.Admin, 400);
        Assert.True(refused.GetProperty("errors").TryGetProperty("payload.headers.X-Leak.secret", out _), refused.ToString());
        AssertNoAppSecretAnywhere(job.GetRawText() + await fixture.RowsAsync(id) + string.Join("\n", fixture.Logs.Lines));
    }

    [Theory]
    [InlineData(HttpJobsFixture.ElsewhereSecretName, "may not be sent to")]
    [InlineData(HttpJobsFixture.UnlistedSecretName, "may be sent nowhere")]
    public async Task A_secret_that_may_not_go_to_the_target_is_refused_at_enqueue_naming_the_header(string secret, string reason)
    {
        var before = await fixture.Api.SnapshotAsync();
        var body = JsonSerializer.Serialize(new
        {
            taskType = "http_request",
            payload = new { url = Receiver.Url(NewPath("refused")), headers = new { Authorization = new { secret, format = "Bearer {0}" } } },
        });

        using var response = await fixture.Api.SendAsync(HttpMethod.Post, "/api/admin/jobs", body, Credentials.Admin);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty("payload.headers.Authorization", out var reasons), problem.ToString());
        Assert.Contains(reason, reasons[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("HttpJobs:SecretDestinations:" + secret, reasons[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await fixture.Api.SnapshotAsync());
    }

    [Theory]
    [InlineData(HttpJobsFixture.ElsewhereSecretName, HttpJobsFixture.ElsewhereSecretValue)]
    [InlineData(HttpJobsFixture.UnlistedSecretName, HttpJobsFixture.UnlistedSecretValue)]
    public async Task A_secret_enqueued_in_sql_for_a_target_outside_its_destinations_fails_for_good_without_a_request(string secret, string value)
    {
        var path = NewPath("outside");
        var id = await EnqueueAsRuntimeLoginAsync(new { url = Receiver.Url(path), headers = new { Authorization = new { secret, format = "Bearer {0}" } } });

        var job = await fixture.RunExpectingFailureWithoutRequestAsync(id, path, "headers.Authorization");
        Assert.Contains("HttpJobs:SecretDestinations:" + secret, job.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(value, job.GetRawText() + await fixture.RowsAsync(id) + string.Join("\n", fixture.Logs.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pg_cron_job_the_runtime_login_creates_in_sql_enqueues_a_job_that_fails_without_a_request()
    {
        await CronTestDatabase.EnsureMigratedAsync();
        var path = NewPath("cron-leak");
        var name = CronTestDatabase.NewPrefix("secdest") + "leak";
        var payload = JsonSerializer.Serialize(new { url = Receiver.Url(path), headers = new Dictionary<string, object> { ["X-Leak"] = new { secret = "admin-token-previous" } } });
        await using var cron = NpgsqlDataSource.Create(LocalPostgres.AsRuntimeLogin(CronTestDatabase.ConnectionString));
        string command;
        await using (var create = cron.CreateCommand("SELECT jobqueue.create_cron_job($1, '0 0 1 1 *', 'http_request', $2::jsonb, 1, NULL, $3)"))
        {
            create.Parameters.AddWithValue(name);
            create.Parameters.AddWithValue(payload);
            create.Parameters.AddWithValue(fixture.Db.Name);
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            command = await CronTestDatabase.StoredCommandAsync(name);
        }
        finally
        {
            await using var delete = cron.CreateCommand("SELECT jobqueue.delete_cron_job($1)");
            delete.Parameters.AddWithValue(name);
            await delete.ExecuteNonQueryAsync();
        }

        // what pg_cron would run, run as the runtime login in the app database
        await using (var run = fixture.Db.DataSource.CreateCommand(command))
        {
            await run.ExecuteNonQueryAsync();
        }

        var id = await fixture.Db.ScalarAsync<Guid>("SELECT id FROM job_queue WHERE triggered_by = $1", "pg_cron:" + name);
        await fixture.RunExpectingFailureWithoutRequestAsync(id, path, "the app's own secrets");
    }

    [Fact]
    public async Task A_path_prefix_allows_its_paths_only_and_a_redirect_outside_it_is_not_followed()
    {
        var inside = "/allowed/" + Guid.NewGuid().ToString("N");
        var sent = await fixture.EnqueueAsync("http_request", new { url = Receiver.Url(inside), headers = new { Authorization = new { secret = HttpJobsFixture.PrefixedSecretName } } });
        foreach (var outside in new[] { "/allowedx/" + Guid.NewGuid().ToString("N"), "/other/x", "/allowed/..%2fother/x", $"https://127.0.0.1:{Receiver.Port}/allowed/x" })
        {
            var body = JsonSerializer.Serialize(new
            {
                taskType = "http_request",
                payload = new { url = outside.StartsWith("https", StringComparison.Ordinal) ? outside : Receiver.Url(outside), headers = new { Authorization = new { secret = HttpJobsFixture.PrefixedSecretName } } },
            });
            var problem = await fixture.Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", body, Credentials.Admin, 400);
            Assert.True(problem.GetProperty("errors").TryGetProperty("payload.headers.Authorization", out _), outside + ": " + problem);
        }

        var moved = "/allowed/moved-" + Guid.NewGuid().ToString("N");
        var escaped = "/elsewhere-" + Guid.NewGuid().ToString("N");
        Receiver.Default(moved, new Reply(307, "", new Dictionary<string, string> { ["Location"] = escaped }));
        var redirected = await fixture.EnqueueAsync("http_request", new { url = Receiver.Url(moved), headers = new { Authorization = new { secret = HttpJobsFixture.PrefixedSecretName } } });
        var within = "/allowed/within-" + Guid.NewGuid().ToString("N");
        var final = "/allowed/final-" + Guid.NewGuid().ToString("N");
        Receiver.Default(within, new Reply(302, "", new Dictionary<string, string> { ["Location"] = final }));
        var followed = await fixture.EnqueueAsync("http_request", new { url = Receiver.Url(within), method = "GET", headers = new { Authorization = new { secret = HttpJobsFixture.PrefixedSecretName } } });

        await fixture.RunAsync();

        Assert.Equal(HttpJobsFixture.PrefixedSecretValue, Assert.Single(Receiver.Requests(inside)).Header("Authorization"));
        Assert.Equal("succeeded", (await fixture.JobAsync(sent)).GetProperty("status").GetString());
        Assert.Single(Receiver.Requests(moved));
        Assert.Empty(Receiver.Requests(escaped));
        var refused = await fixture.JobAsync(redirected);
        Assert.Equal("failed", refused.GetProperty("status").GetString());
        Assert.Contains("was not followed", refused.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpJobsFixture.PrefixedSecretValue, Assert.Single(Receiver.Requests(final)).Header("Authorization"));
        Assert.Equal("succeeded", (await fixture.JobAsync(followed)).GetProperty("status").GetString());
    }

    /// <summary>The runtime login's own call of jobqueue.job_queue_enqueue, as an attacker with the database login makes it.</summary>
    private async Task<Guid> EnqueueAsRuntimeLoginAsync(object payload)
    {
        await using var cmd = fixture.Db.DataSource.CreateCommand("SELECT jobqueue.job_queue_enqueue('http_request', $1::jsonb, now(), 5)");
        cmd.Parameters.AddWithValue(JsonSerializer.Serialize(payload));
        return (Guid)(await cmd.ExecuteScalarAsync())!;
    }

    private static void AssertNoAppSecretAnywhere(string text)
    {
        foreach (var value in HttpJobsFixture.AppSecretValues.Values.Append(ApiTestServer.AdminToken).Append(ApiTestServer.RunnerSecret).Append(ApiTestServer.PreviousRunnerSecret))
        {
            Assert.DoesNotContain(value, text, StringComparison.Ordinal);
        }
    }
}
