using System.Text.Json;
using JobQueue.FunctionsTestHost;
using JobQueue.Scheduling;
using JobQueue.Tests.Infrastructure;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace JobQueue.Tests.Functions;

/// <summary>
/// The HTTP and stats jobs in the Functions worker: an http_request job created through the worker's
/// HTTP function and run by its Runner timer against a real receiver (secret header delivered, never
/// logged), the allow-list and secret-destination refusals, an app secret enqueued in SQL by the
/// runtime login that reaches no one, and the stats route with post-match joining.
/// </summary>
public sealed class FunctionsJobTypesTests(FunctionsWorkerFixture worker) : IClassFixture<FunctionsWorkerFixture>
{
    [Fact]
    public async Task An_http_request_job_runs_in_the_worker_with_its_secret_header()
    {
        await using var receiver = await HttpReceiver.StartAsync();
        var path = HttpReceiver.NewPath("worker-hook");
        var refused = await worker.AdminJsonAsync(HttpMethod.Post, "/api/admin/jobs", 400,
            """{"taskType":"http_request","payload":{"url":"https://not-allowed.example.com/x"}}""");
        Assert.True(refused.GetProperty("errors").TryGetProperty("payload.url", out _), refused.ToString());
        var nowhere = await worker.AdminJsonAsync(HttpMethod.Post, "/api/admin/jobs", 400, JsonSerializer.Serialize(new
        {
            taskType = "http_request",
            payload = new { url = receiver.Url(path), headers = new { Authorization = new { secret = "no-destinations-key" } } },
        }));
        Assert.True(nowhere.GetProperty("errors").TryGetProperty("payload.headers.Authorization", out _), nowhere.ToString());
        var leakPath = HttpReceiver.NewPath("worker-leak");
        Guid leak;
        await using (var enqueue = worker.Db.DataSource.CreateCommand("SELECT jobqueue.job_queue_enqueue('http_request', $1::jsonb, now(), 5)"))
        {
            enqueue.Parameters.AddWithValue(JsonSerializer.Serialize(new
            {
                url = receiver.Url(leakPath),
                headers = new Dictionary<string, object> { ["X-Leak"] = new { secret = "admin-token-previous" } },
            }));
            leak = (Guid)(await enqueue.ExecuteScalarAsync())!;
        }

        var enqueued = await worker.AdminJsonAsync(HttpMethod.Post, "/api/admin/jobs", 201, JsonSerializer.Serialize(new
        {
            taskType = "http_request",
            payload = new
            {
                url = receiver.Url(path),
                headers = new { Authorization = new { secret = FunctionsWorkerFixture.HttpJobSecretName, format = "Bearer {0}" } },
                body = new { limit = 5, runs = 1 },
            },
        }));
        var jobId = enqueued.GetProperty("jobId").GetString()!;

        var tick = await worker.Host.InvokeTimerAsync(Schedules.Runner.Name);

        Assert.True(tick.Result.Status == StatusResult.Types.Status.Success, $"{tick.Result.Exception?.Message}\n{worker.Host.Diagnostics()}");
        var request = Assert.Single(receiver.Requests(path));
        Assert.Equal("Bearer " + FunctionsWorkerFixture.HttpJobSecretValue, request.Header("Authorization"));
        Assert.Empty(receiver.Requests(leakPath));
        var leaked = await worker.AdminJsonAsync(HttpMethod.Get, $"/api/admin/jobs/{leak}", 200);
        Assert.Equal("failed", leaked.GetProperty("status").GetString());
        Assert.Contains("the app's own secrets", leaked.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(FunctionsWorkerFixture.PreviousAdminToken, leaked.GetRawText(), StringComparison.Ordinal);
        var job = await worker.AdminJsonAsync(HttpMethod.Get, $"/api/admin/jobs/{jobId}", 200);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal(200, job.GetProperty("output").GetProperty("status").GetInt32());
        var logs = string.Join("\n", worker.Host.Stream.Logs.Select(l => l.Message + l.Exception?.Message));
        Assert.DoesNotContain(FunctionsWorkerFixture.HttpJobSecretValue, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(FunctionsWorkerFixture.HttpJobSecretValue, job.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_stats_route_joins_post_match_triggers_in_the_worker()
    {
        var first = await worker.AdminJsonAsync(HttpMethod.Post, "/api/admin/jobs/enqueue-stats-job", 200, """{"triggeredBy":"post-match","matchId":"w-1"}""");
        var second = await worker.AdminJsonAsync(HttpMethod.Post, "/api/admin/jobs/enqueue-stats-job", 200, """{"triggeredBy":"post-match","matchId":"w-2"}""");

        Assert.True(second.GetProperty("joined").GetBoolean());
        Assert.Equal(first.GetProperty("jobId").GetString(), second.GetProperty("jobId").GetString());
        await worker.AdminJsonAsync(HttpMethod.Post, "/api/admin/jobs/enqueue-stats-job", 400, """{"triggeredBy":"nobody"}""");

        var table = await worker.AdminJsonAsync(HttpMethod.Get, "/api/admin/stats-jobs?limit=50", 200);
        var run = Assert.Single(table.GetProperty("runs").EnumerateArray(), r => r.GetProperty("jobId").GetString() == first.GetProperty("jobId").GetString());
        Assert.Equal("post-match", run.GetProperty("triggeredBy").GetString());
        Assert.Equal("pending", run.GetProperty("status").GetString());
    }
}
