using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using JobQueue.Queue;
using JobQueue.Runner;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Api;

/// <summary>
/// Vercel Cron on the server host: <c>GET /api/jobs/run</c> with <c>Authorization: Bearer $CRON_SECRET</c>
/// (the runner secret, current or previous) and no body runs a default pass and answers as POST does;
/// a missing or wrong secret is a 401 problem+json that runs nothing and echoes no secret.
/// </summary>
public sealed class VercelCronRunnerTests : IAsyncLifetime
{
    private TestDatabase db = null!;
    private ApiTestServer api = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        api = await ApiTestServer.StartAsync(db, s => s.AddSingleton<IJobHandler>(new DelegateHandler("vercel", (_, _, _) => Task.FromResult<object?>(new { ok = true }))),
            new Dictionary<string, string?> { ["Runner:DefaultLimit"] = "2" });
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await db.DisposeAsync();
    }

    private async Task<HttpResponseMessage> GetAsync(string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs/run");
        request.Headers.UserAgent.ParseAdd("vercel-cron/1.0");
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await api.Client.SendAsync(request);
    }

    [Theory]
    [InlineData(ApiTestServer.RunnerSecret)]
    [InlineData(ApiTestServer.PreviousRunnerSecret)]
    public async Task Get_with_the_runner_secret_as_bearer_runs_a_default_pass_and_answers_like_post(string secret)
    {
        await api.Services.GetRequiredService<JobQueueStore>().EnqueueManyAsync("vercel", Enumerable.Repeat("{}", 3).ToList());

        using var response = await GetAsync(secret);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var report = JsonDocument.Parse(text).RootElement;
        // the default pass: Runner:DefaultLimit jobs, not draining
        Assert.Equal(("ok", 2, 2), (report.GetProperty("status").GetString(), report.GetProperty("processed").GetInt32(), report.GetProperty("succeeded").GetInt32()));
        Assert.False(report.TryGetProperty("drained", out _));

        // POST with no body answers the same shape for the rest
        var post = await api.JsonAsync(HttpMethod.Post, "/api/jobs/run", null, Credentials.Runner, 200);
        Assert.Equal(
            report.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal),
            post.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(1, post.GetProperty("processed").GetInt32());
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-runner-secret")]
    [InlineData(ApiTestServer.AdminToken)]
    public async Task Get_without_the_runner_secret_is_401_problem_json_and_runs_nothing(string? bearer)
    {
        var id = await api.Services.GetRequiredService<JobQueueStore>().EnqueueAsync(new EnqueueRequest("vercel"));
        var before = await api.SnapshotAsync();

        using var response = await GetAsync(bearer);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(ApiTestServer.RunnerSecret, body, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiTestServer.AdminToken, body, StringComparison.Ordinal);
        Assert.Equal(before, await api.SnapshotAsync());
        Assert.Equal(JobStatus.Pending, (await api.Services.GetRequiredService<JobReadStore>().GetAsync(id))!.Status);
    }
}
