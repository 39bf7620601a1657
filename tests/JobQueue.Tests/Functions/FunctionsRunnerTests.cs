using System.Text;
using System.Text.Json;
using JobQueue.FunctionsTestHost;
using JobQueue.Queue;
using JobQueue.Scheduling;
using JobQueue.Tests.Infrastructure;
using JobQueue.WakeUp;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;
using Xunit.Abstractions;

namespace JobQueue.Tests.Functions;

/// <summary>
/// The Functions app's runner, run in the built worker (<see cref="FunctionsRunnerFixture"/>): the
/// wake-up queue (Azurite) starts a job enqueued through the HTTP function without any timer; passes
/// drain within Runner:Concurrency by the attempt records; a caller that disconnects cancels nothing;
/// heartbeats keep a job past its lease; a task type's timeout cancels its handler; WorkerTerminate
/// mid-job gives the job back.
/// </summary>
public sealed class FunctionsRunnerTests(FunctionsRunnerFixture fx, ITestOutputHelper output) : IClassFixture<FunctionsRunnerFixture>, IAsyncLifetime
{
    public Task InitializeAsync()
    {
        fx.SetLatency(0);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        fx.SetLatency(0);
        return Task.CompletedTask;
    }

    private static string SyncJob(string coachId = "coach-1") =>
        $$"""{"taskType":"game_platform_sync","payload":{"dryRun":true,"coachId":"{{coachId}}"},"maxAttempts":3}""";

    private async Task<Guid> EnqueueThroughHttpAsync(FunctionsHost host, string json)
    {
        using var result = await SendAsync(host, HttpMethod.Post, "/api/admin/jobs", json, FunctionsWorkerFixture.AdminToken);
        var body = await result.Response.Content.ReadAsStringAsync();
        Assert.True((int)result.Response.StatusCode == 201, body + "\n" + host.Diagnostics());
        return JsonDocument.Parse(body).RootElement.GetProperty("jobId").GetGuid();
    }

    private static async Task<HttpInvocationResult> SendAsync(
        FunctionsHost host, HttpMethod method, string path, string? json, string bearer, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        return await host.Http.SendAsync(request, cancellationToken);
    }

    private static Task<JobStatusRow> StatusAsync(TestDatabase db, Guid id) => JobStatusRow.ReadAsync(db, id);

    [Fact]
    public async Task A_job_enqueued_through_the_http_function_starts_within_seconds_on_the_wake_up_queue_without_a_timer()
    {
        var invocationsBefore = fx.WakeUpListener.Invocations.Count;
        var id = await EnqueueThroughHttpAsync(fx.Host, """{"taskType":"job_queue_cleanup","payload":{"retentionDays":30}}""");

        await Eventually.TrueAsync(async () => (await StatusAsync(fx.Db, id)).Status == JobStatus.Succeeded, "the job succeeds", 30);

        var job = await StatusAsync(fx.Db, id);
        output.WriteLine($"enqueue to start: {(job.StartedAt - job.CreatedAt).TotalMilliseconds:F0} ms");
        Assert.True(job.StartedAt - job.CreatedAt < TimeSpan.FromSeconds(10), $"started {job.StartedAt - job.CreatedAt} after its enqueue");
        // the queue trigger ran it: its invocation succeeded and its draining pass logged the job
        Assert.Contains(fx.WakeUpListener.Invocations.Skip(invocationsBefore), i => i.Succeeded);
        Assert.Contains(fx.Host.Stream.Logs, l => l.Category == typeof(RunnerWakeUpTrigger).FullName && l.Message.StartsWith("Wake-up pass: ok, 1 jobs", StringComparison.Ordinal));
        Assert.Equal(TimeSpan.FromSeconds(1), fx.WakeUpListener.MaxPollingInterval); // host.json: the host polls the queue every second at most
    }

    [Fact]
    public async Task Many_jobs_drain_through_the_wake_up_queue_with_at_most_runner_concurrency_running_by_the_attempt_records()
    {
        fx.SetLatency(250);
        var ids = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await EnqueueThroughHttpAsync(fx.Host, SyncJob(i % 2 == 0 ? "coach-1" : "coach-2")));
        }

        await Eventually.TrueAsync(async () =>
        {
            foreach (var id in ids)
            {
                if ((await StatusAsync(fx.Db, id)).Status != JobStatus.Succeeded)
                {
                    return false;
                }
            }

            return true;
        }, "the twelve sync jobs succeed", 120);

        var peak = await AttemptRecords.PeakConcurrencyAsync(fx.Db, "game_platform_sync");
        output.WriteLine($"peak concurrency by the attempt records: {peak}; wake-up invocations: {fx.WakeUpListener.Invocations.Count}");
        Assert.True(peak <= FunctionsRunnerFixture.Concurrency, $"{peak} jobs ran at once, above Runner:Concurrency {FunctionsRunnerFixture.Concurrency}");
        Assert.True(peak >= 2, $"the attempt records show no concurrency (peak {peak})");
    }

    [Fact]
    public async Task An_http_caller_that_disconnects_does_not_cancel_the_pass()
    {
        fx.SetLatency(3000);
        // enqueued by SQL (no wake-up message): only the HTTP pass below can run it
        var id = await new JobQueueStore(fx.Db.DataSource).EnqueueAsync(new EnqueueRequest("game_platform_sync",
            JsonDocument.Parse("""{"dryRun":true,"coachId":"coach-2"}""").RootElement, MaxAttempts: 1));

        using var hangUp = new CancellationTokenSource();
        var call = SendAsync(fx.Host, HttpMethod.Post, "/api/jobs/run", """{"drain":true}""", FunctionsWorkerFixture.RunnerSecret, hangUp.Token);
        await Eventually.TrueAsync(async () => (await StatusAsync(fx.Db, id)).Status == JobStatus.Processing, "the HTTP pass starts the job", 30);
        await hangUp.CancelAsync(); // the caller gives up: the connection closes and the host cancels the invocation
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        await Eventually.TrueAsync(async () => (await StatusAsync(fx.Db, id)).Status != JobStatus.Processing, "the job finishes", 60);
        Assert.Equal(JobStatus.Succeeded, (await StatusAsync(fx.Db, id)).Status);
        var attempts = await new JobReadStore(fx.Db.DataSource).GetAttemptsAsync(id);
        Assert.Equal("succeeded", Assert.Single(attempts).Outcome);
    }

    [Fact]
    public async Task Heartbeats_keep_a_job_running_longer_than_its_lease()
    {
        fx.SetLatency(5000);
        var id = await new JobQueueStore(fx.Db.DataSource).EnqueueAsync(new EnqueueRequest("game_platform_sync",
            JsonDocument.Parse("""{"dryRun":true,"coachId":"coach-1"}""").RootElement, MaxAttempts: 1));

        var tick = await fx.Host.InvokeTimerAsync(Schedules.Runner.Name);

        Assert.Equal(StatusResult.Types.Status.Success, tick.Result.Status);
        var job = await StatusAsync(fx.Db, id);
        Assert.Equal((JobStatus.Succeeded, 1), (job.Status, job.Attempts));
        var attempt = Assert.Single(await new JobReadStore(fx.Db.DataSource).GetAttemptsAsync(id));
        Assert.Equal("succeeded", attempt.Outcome);
        Assert.True(attempt.DurationMs >= 4500, $"the job ran {attempt.DurationMs} ms, not past its 2 s lease");
    }

    [Fact]
    public async Task A_task_types_timeout_cancels_its_handler_in_the_worker()
    {
        await using var db = await FunctionsRunnerFixture.SeededDatabaseAsync();
        await using var host = await FunctionsHost.StartAsync(new FunctionsHostOptions(FunctionsWorkerFixture.App)
        {
            Settings = fx.Settings(db, new Dictionary<string, string> { ["Runner:TaskTimeouts:game_platform_sync"] = "1" }),
        });
        fx.SetLatency(20_000);
        var id = await new JobQueueStore(db.DataSource).EnqueueAsync(new EnqueueRequest("game_platform_sync",
            JsonDocument.Parse("""{"dryRun":true,"coachId":"coach-1"}""").RootElement, MaxAttempts: 3));

        var tick = await host.InvokeTimerAsync(Schedules.Runner.Name);

        Assert.Equal(StatusResult.Types.Status.Success, tick.Result.Status);
        var job = await StatusAsync(db, id);
        Assert.Equal(JobStatus.Pending, job.Status);
        var attempt = Assert.Single(await new JobReadStore(db.DataSource).GetAttemptsAsync(id));
        Assert.Equal("retry", attempt.Outcome);
        Assert.StartsWith("timed out", attempt.Error);
        Assert.InRange(attempt.DurationMs, 500, 15_000);
    }

    [Fact]
    public async Task WorkerTerminate_mid_job_gives_the_job_back_with_its_attempt_and_the_attempt_says_why()
    {
        await using var db = await FunctionsRunnerFixture.SeededDatabaseAsync();
        var host = await FunctionsHost.StartAsync(new FunctionsHostOptions(FunctionsWorkerFixture.App) { Settings = fx.Settings(db) });
        Guid id;
        try
        {
            fx.SetLatency(60_000);
            id = await new JobQueueStore(db.DataSource).EnqueueAsync(new EnqueueRequest("game_platform_sync",
                JsonDocument.Parse("""{"dryRun":true,"coachId":"coach-1"}""").RootElement, MaxAttempts: 1));
            _ = host.InvokeTimerAsync(Schedules.Runner.Name).ContinueWith(_ => { }, TaskScheduler.Default);
            await Eventually.TrueAsync(async () => (await StatusAsync(db, id)).Status == JobStatus.Processing, "the timer's pass starts the job", 30);
        }
        finally
        {
            await host.DisposeAsync(); // WorkerTerminate: the worker stops its host
        }

        Assert.False(host.WorkerWasKilled, "the worker did not exit after WorkerTerminate\n" + host.Diagnostics());
        var job = await StatusAsync(db, id);
        Assert.Equal((JobStatus.Pending, 0), (job.Status, job.Attempts));
        var attempt = Assert.Single(await new JobReadStore(db.DataSource).GetAttemptsAsync(id));
        Assert.Equal("snoozed", attempt.Outcome);
        Assert.StartsWith("host shutdown", attempt.Error);
    }

    /// <summary>A job's status and times, read as the owner.</summary>
    private sealed record JobStatusRow(string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset StartedAt)
    {
        public static async Task<JobStatusRow> ReadAsync(TestDatabase db, Guid id)
        {
            var job = (await new JobReadStore(db.DataSource).GetAsync(id))!;
            return new JobStatusRow(job.Status, job.Attempts, job.CreatedAt, job.StartedAt ?? DateTimeOffset.MaxValue);
        }
    }
}
