using JobQueue.Queue;
using JobQueue.Runner;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Api;

/// <summary>
/// The runner's executor on the server host (the real app on a TestServer): POST jobs/run with drain,
/// a caller that disconnects, and the host's shutdown with its runner loop mid-job.
/// </summary>
public sealed class ServerRunnerTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    private Task<ApiTestServer> StartAsync(IJobHandler handler, IDictionary<string, string?>? settings = null) =>
        ApiTestServer.StartAsync(db, s => s.AddSingleton(handler), settings);

    [Fact]
    public async Task Post_jobs_run_with_drain_runs_every_due_job_within_the_concurrency_bound_and_refuses_a_limit()
    {
        await using var api = await StartAsync(new DelegateHandler("work", async (_, _, ct) => { await Task.Delay(30, ct); return null; }),
            new Dictionary<string, string?> { ["Runner:Concurrency"] = "3" });
        var store = api.Services.GetRequiredService<JobQueueStore>();
        await store.EnqueueManyAsync("work", Enumerable.Repeat("{}", 25).ToList());

        var before = await api.SnapshotAsync();
        var refused = await api.JsonAsync(HttpMethod.Post, "/api/jobs/run", """{"drain":true,"limit":5}""", Credentials.Runner, 400);
        Assert.True(refused.GetProperty("errors").TryGetProperty("limit", out _));
        Assert.Equal(before, await api.SnapshotAsync());

        var report = await api.JsonAsync(HttpMethod.Post, "/api/jobs/run", """{"drain":true}""", Credentials.Runner, 200);

        Assert.Equal(("ok", 25, 25, true), (report.GetProperty("status").GetString(), report.GetProperty("processed").GetInt32(),
            report.GetProperty("succeeded").GetInt32(), report.GetProperty("drained").GetBoolean()));
        Assert.Equal(25, report.GetProperty("results").GetArrayLength());
        var peak = await AttemptRecords.PeakConcurrencyAsync(db);
        Assert.InRange(peak, 2, 3);
    }

    [Fact]
    public async Task A_caller_that_disconnects_does_not_cancel_the_pass()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var api = await StartAsync(new DelegateHandler("slow", async (_, _, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            return new { finished = true };
        }));
        var id = await api.Services.GetRequiredService<JobQueueStore>().EnqueueAsync(new EnqueueRequest("slow", MaxAttempts: 1));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs/run") { Content = new StringContent("""{"drain":true}""", System.Text.Encoding.UTF8, "application/json") };
        ApiTestServer.Authorize(request, Credentials.Runner);
        using var hangUp = new CancellationTokenSource();
        var call = api.Client.SendAsync(request, hangUp.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await hangUp.CancelAsync(); // the caller gives up (a pg_net or curl timeout)
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        var store = api.Services.GetRequiredService<JobReadStore>();
        await Eventually.TrueAsync(async () => (await store.GetAsync(id))!.Status != JobStatus.Processing, "the job finishes", 30);
        var job = (await store.GetAsync(id))!;
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.True(job.Output!.Value.GetProperty("finished").GetBoolean());
        Assert.Equal("succeeded", Assert.Single(await store.GetAttemptsAsync(id)).Outcome);
    }

    [Fact]
    public async Task The_servers_shutdown_mid_job_gives_the_job_back_with_its_attempt_and_says_why()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var api = await StartAsync(new DelegateHandler("long", async (_, _, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        }), new Dictionary<string, string?> { ["Runner:PollIntervalSeconds"] = "1" });
        Guid id;
        var store = new JobReadStore(db.DataSource);
        try
        {
            // the server's runner loop picks it up by itself
            id = await new JobQueueStore(db.DataSource).EnqueueAsync(new EnqueueRequest("long", MaxAttempts: 1));
            await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(JobStatus.Processing, (await store.GetAsync(id))!.Status);
        }
        finally
        {
            await api.DisposeAsync(); // StopAsync: ApplicationStopping, then the hosted services stop
        }

        var job = (await store.GetAsync(id))!;
        Assert.Equal((JobStatus.Pending, 0, null), (job.Status, job.Attempts, job.LockedBy));
        var attempt = Assert.Single(await store.GetAttemptsAsync(id));
        Assert.Equal("snoozed", attempt.Outcome);
        Assert.StartsWith("host shutdown", attempt.Error);
    }
}
