using JobQueue.Tests.Infrastructure;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using JobQueue.FunctionsTestHost;
using JobQueue.Scheduling;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;
using Xunit.Abstractions;

namespace JobQueue.Tests.Functions;

/// <summary>
/// The Functions app run, not only compiled: the built worker started as the Functions host starts it
/// (<see cref="FunctionsHost"/>: its command line, the gRPC start-up, metadata and load messages), its
/// timer functions invoked with the host's TimerInfo payload and its HTTP functions called through
/// the worker's own ASP.NET Core listener, against a real PostgreSQL.
/// </summary>
public sealed class FunctionsWorkerTests(FunctionsWorkerFixture worker, ITestOutputHelper output) : IClassFixture<FunctionsWorkerFixture>
{
    [Fact]
    public async Task Worker_loads_every_function_of_functions_metadata_and_exits_on_WorkerTerminate()
    {
        output.WriteLine($"shared worker: process start to all functions loaded in {worker.StartDuration.TotalSeconds:F1} s");
        var expected = FunctionMetadataFile.Read(FunctionsWorkerFixture.App.MetadataPath).Select(f => f.Name).Order(StringComparer.Ordinal).ToList();

        // a second worker of its own, to see it stop
        var host = await FunctionsHost.StartAsync(new FunctionsHostOptions(FunctionsWorkerFixture.App) { Settings = FunctionsWorkerFixture.Settings(worker.Db) });
        try
        {
            Assert.Equal(expected, host.Functions.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(expected, worker.Host.Functions.Keys.Order(StringComparer.Ordinal));
            Assert.NotNull(host.HttpUri); // the ASP.NET Core integration's own listener
            Assert.Equal(bool.TrueString, host.Capabilities["HandlesWorkerTerminateMessage"]);

            // the startup (migration as the owner, DI, listeners) logged no error
            var errors = host.Stream.Logs.Where(l => l.Level >= RpcLog.Types.Level.Error).Select(l => $"{l.Category}: {l.Message}").ToList();
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
        finally
        {
            await host.DisposeAsync();
        }

        Assert.False(host.WorkerWasKilled, "the worker did not exit after WorkerTerminate and was killed\n" + host.Diagnostics());
        Assert.True(host.Stream.Closed.IsCompleted, "the worker's event stream is still open");
    }

    [Fact]
    public async Task Worker_that_hangs_on_shutdown_is_killed_after_the_grace_period()
    {
        var host = await FunctionsHost.StartAsync(new FunctionsHostOptions(FunctionsWorkerFixture.App)
        {
            Settings = FunctionsWorkerFixture.Settings(worker.Db),
            ShutdownTimeout = TimeSpan.FromSeconds(3),
        });
        using var process = Process.GetProcessById(host.WorkerProcessId);
        using (var freeze = Process.Start("kill", ["-STOP", host.WorkerProcessId.ToString(CultureInfo.InvariantCulture)]))
        {
            await freeze.WaitForExitAsync();
            Assert.Equal(0, freeze.ExitCode);
        }

        await host.DisposeAsync(); // WorkerTerminate reaches a stopped process: nothing answers it

        Assert.True(host.WorkerWasKilled);
        Assert.True(process.HasExited);
    }

    [Fact]
    public async Task The_dashboard_is_served_by_its_anonymous_function_with_the_security_policy()
    {
        using var page = await worker.SendAsync(HttpMethod.Get, "/api/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.Response.StatusCode);
        Assert.Equal("Dashboard", page.FunctionName);
        Assert.Equal("text/html", page.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JobQueue.Dashboard.DashboardEndpoint.ContentSecurityPolicy, page.Response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("assets/app.js", await page.Response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var script = await worker.SendAsync(HttpMethod.Get, "/api/dashboard/assets/pages/jobs.js");
        Assert.Equal(HttpStatusCode.OK, script.Response.StatusCode);
        Assert.Equal("text/javascript", script.Response.Content.Headers.ContentType?.MediaType);

        // the root without its slash is redirected, so that the page's relative links resolve below it
        using var bare = await worker.SendAsync(HttpMethod.Get, "/api/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, bare.Response.StatusCode);
        Assert.Equal("/api/dashboard/", bare.Response.Headers.Location?.ToString());

        using var missing = await worker.SendAsync(HttpMethod.Get, "/api/dashboard/assets/nope.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
    }

    [Fact]
    public async Task The_dashboards_admin_routes_and_the_audit_log_work_on_the_functions_host()
    {
        var hour = await worker.AdminJsonAsync(HttpMethod.Get, "/api/admin/job-queue/throughput?window=hour", 200);
        Assert.Equal(60, hour.GetProperty("minutes").GetArrayLength());
        var dryRun = await worker.AdminJsonAsync(HttpMethod.Post, "/api/admin/jobs/bulk-cancel", 200, """{"taskType":"no_such_type","dryRun":true}""");
        Assert.Equal(0, dryRun.GetProperty("matched").GetInt64());

        var enqueued = await worker.AdminJsonAsync(HttpMethod.Post, "/api/admin/jobs", 201,
            """{"taskType":"job_queue_cleanup","payload":{"retentionDays":30},"runAt":"2099-01-01T00:00:00Z"}""");
        var jobId = enqueued.GetProperty("jobId").GetString();
        await worker.AdminJsonAsync(HttpMethod.Post, $"/api/admin/jobs/{jobId}/cancel", 200, """{"reason":"functions host"}""");
        var audit = await worker.AdminJsonAsync(HttpMethod.Get, $"/api/admin/audit?action=job.cancel&limit=50", 200);
        var entry = audit.GetProperty("entries").EnumerateArray().First(e => e.GetProperty("target").GetString() == jobId);
        Assert.Equal("admin-token", entry.GetProperty("actor").GetString());
        Assert.Equal("ok", entry.GetProperty("outcome").GetString());
        Assert.Equal("reason: functions host", entry.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Job_enqueued_through_the_http_function_goes_from_pending_to_succeeded_on_the_runner_timer()
    {
        var enqueued = await worker.AdminJsonAsync(HttpMethod.Post, "/api/admin/jobs", 201,
            """{"taskType":"job_queue_cleanup","payload":{"retentionDays":30},"maxAttempts":3}""");
        Assert.True(enqueued.GetProperty("success").GetBoolean());
        var jobId = enqueued.GetProperty("jobId").GetString()!;

        var before = await worker.AdminJsonAsync(HttpMethod.Get, $"/api/admin/jobs/{jobId}", 200);
        Assert.Equal("pending", before.GetProperty("status").GetString());
        Assert.Equal(0, before.GetProperty("attempts").GetInt32());

        var tick = await worker.Host.InvokeTimerAsync(Schedules.Runner.Name);
        AssertSucceeded(tick);

        var after = await worker.AdminJsonAsync(HttpMethod.Get, $"/api/admin/jobs/{jobId}", 200);
        Assert.Equal("succeeded", after.GetProperty("status").GetString());
        Assert.Equal(1, after.GetProperty("attempts").GetInt32());
        var attempt = Assert.Single(after.GetProperty("attemptHistory").EnumerateArray());
        Assert.Equal("succeeded", attempt.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Object, after.GetProperty("output").ValueKind);
    }

    /// <summary>POST with a body, and Vercel Cron's GET (no body, the runner secret as bearer): a pass and its report.</summary>
    [Theory]
    [InlineData("POST", """{"limit":3}""", "JobsRun")]
    [InlineData("GET", null, "JobsRunGet")]
    public async Task Http_runner_function_runs_a_pass_and_reports_it(string method, string? json, string function)
    {
        using var result = await worker.SendAsync(new HttpMethod(method), "/api/jobs/run", json, FunctionsWorkerFixture.RunnerSecret);
        var body = await result.Response.Content.ReadAsStringAsync();
        Assert.True(result.Response.StatusCode == HttpStatusCode.OK, body + "\n" + worker.Host.Diagnostics());
        Assert.Equal(function, result.FunctionName);
        AssertSucceeded(result.Invocation!);
        using var report = JsonDocument.Parse(body);
        Assert.Equal("ok", report.RootElement.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Array, report.RootElement.GetProperty("results").ValueKind);
        Assert.DoesNotContain(FunctionsWorkerFixture.RunnerSecret, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/admin/job-queue/health", "not-the-admin-token")]
    [InlineData("GET", "/api/admin/jobs", null)]
    [InlineData("POST", "/api/jobs/run", "not-the-runner-secret")]
    [InlineData("GET", "/api/jobs/run", "not-the-runner-secret")]
    [InlineData("GET", "/api/jobs/run", null)]
    public async Task Http_function_with_bad_credentials_answers_401_problem_json_through_the_worker(string method, string path, string? bearer)
    {
        using var result = await worker.SendAsync(new HttpMethod(method), path, method == "POST" ? "{}" : null, bearer);
        var body = await result.Response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, result.Response.StatusCode);
        Assert.Equal("application/problem+json", result.Response.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(result.Response.Headers.WwwAuthenticate);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("detail").GetString()));
        AssertSucceeded(result.Invocation!); // the function ran and answered; it did not throw

        // neither the secrets nor the wrong credential reach the response or the worker's logs
        var logs = string.Join("\n", worker.Host.Stream.Logs.Select(l => l.Message + l.Exception?.Message));
        foreach (var secret in new[] { FunctionsWorkerFixture.AdminToken, FunctionsWorkerFixture.RunnerSecret, bearer ?? FunctionsWorkerFixture.AdminToken })
        {
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task A_json_body_without_the_json_content_type_answers_415_through_the_worker_and_changes_nothing(string? contentType)
    {
        // the worker's own background work (schedule catch-up) may write meanwhile: what these calls would change is counted
        const string Attempts = "SELECT count(*) FROM job_queue_attempts";
        var attemptsBefore = await worker.Db.ScalarAsync<long>(Attempts);

        using var enqueue = await worker.SendAsync(HttpMethod.Post, "/api/admin/jobs",
            """{"taskType":"job_queue_cleanup","payload":{"retentionDays":17}}""", FunctionsWorkerFixture.AdminToken, contentType);
        using var run = await worker.SendAsync(HttpMethod.Post, "/api/jobs/run", """{"limit":3}""", FunctionsWorkerFixture.RunnerSecret, contentType);

        foreach (var result in new[] { enqueue, run })
        {
            var body = await result.Response.Content.ReadAsStringAsync();
            Assert.True(result.Response.StatusCode == HttpStatusCode.UnsupportedMediaType, body + "\n" + worker.Host.Diagnostics());
            Assert.Equal("application/problem+json", result.Response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(body);
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("Content-Type", out _), body);
            AssertSucceeded(result.Invocation!);
        }

        Assert.Equal(0L, await worker.Db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE payload ->> 'retentionDays' = '17'"));
        Assert.Equal(attemptsBefore, await worker.Db.ScalarAsync<long>(Attempts)); // no runner pass ran
    }

    [Fact]
    public async Task Unknown_route_is_404_from_the_host_without_an_invocation()
    {
        using var result = await worker.SendAsync(HttpMethod.Get, "/api/admin/no-such-route", bearer: FunctionsWorkerFixture.AdminToken);
        Assert.Equal(HttpStatusCode.NotFound, result.Response.StatusCode);
        Assert.Null(result.Invocation);
    }

    [Fact]
    public async Task Schedule_timers_enqueue_their_standing_jobs_once()
    {
        foreach (var schedule in ComposedApp.Schedules.Where(s => s.StandingTaskType is not null))
        {
            AssertSucceeded(await worker.Host.InvokeTimerAsync(schedule.Name));
            AssertSucceeded(await worker.Host.InvokeTimerAsync(schedule.Name, isPastDue: true));

            var list = await worker.AdminJsonAsync(HttpMethod.Get, $"/api/admin/jobs?taskType={schedule.StandingTaskType}&limit=50", 200);
            var standing = list.GetProperty("jobs").EnumerateArray()
                .Where(j => j.GetProperty("dedupeKey").GetString() == schedule.DedupeKey)
                .ToList();
            var job = Assert.Single(standing); // the second tick found the first one (dedupe key)
            Assert.Equal(schedule.TriggeredBy, job.GetProperty("triggeredBy").GetString());
        }

        // IsPastDue came through the TimerInfo payload: the library logged the past-due tick (EventId 3001, a Warning)
        var pastDue = worker.Host.Stream.Logs
            .Where(l => l.Category == typeof(ScheduleRunner).FullName && l.Level == RpcLog.Types.Level.Warning)
            .Select(l => l.Message).ToList();
        foreach (var schedule in ComposedApp.Schedules.Where(s => s.StandingTaskType is not null))
        {
            Assert.Contains(pastDue, m => m.Contains(schedule.Name, StringComparison.Ordinal));
        }
    }

    private void AssertSucceeded(InvocationResponse response) =>
        Assert.True(response.Result.Status == StatusResult.Types.Status.Success,
            $"invocation {response.InvocationId}: {response.Result.Status} {response.Result.Exception?.Message}\n{worker.Host.Diagnostics()}");
}
