using JobQueue.FunctionsTestHost;
using JobQueue.Scheduling;
using JobQueue.Telemetry;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Functions;

/// <summary>
/// The built Functions worker with APPLICATIONINSIGHTS_CONNECTION_STRING set exports through
/// OpenTelemetry and the Azure Monitor exporter (as the server does, AzureMonitorExportTests): a job
/// enqueued through the HTTP function and run by the Runner timer arrives at a stand-in ingestion
/// endpoint on loopback as an attempt request linked to the enqueuing invocation's trace, and as the
/// runner's event with CategoryName and EventId. Nothing leaves the machine (Live Metrics points at
/// the stand-in, SDK statistics are off).
/// </summary>
public sealed class FunctionsTelemetryTests : IAsyncLifetime
{
    // generous: an export that fails on a loaded machine is kept by the exporter and sent again later
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    private FakeIngestion ingestion = null!;
    private TestDatabase db = null!;
    private FunctionsHost host = null!;

    public async Task InitializeAsync()
    {
        ingestion = FakeIngestion.Start();
        db = await TestDatabase.CreateAsync();
        var settings = FunctionsWorkerFixture.Settings(db);
        settings[JobQueueOpenTelemetryExtensions.ConnectionStringKey] = ingestion.ConnectionString;
        settings["APPLICATIONINSIGHTS_STATSBEAT_DISABLED"] = "true";
        settings["APPLICATIONINSIGHTS_SDKSTATS_DISABLED"] = "true";
        host = await FunctionsHost.StartAsync(new FunctionsHostOptions(FunctionsWorkerFixture.App) { Settings = settings });
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await db.DisposeAsync();
        await ingestion.DisposeAsync();
    }

    [Fact]
    public async Task The_worker_exports_the_attempt_trace_linked_to_the_enqueuing_invocation_and_the_runner_event()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/admin/jobs", UriKind.Relative))
        {
            Content = new StringContent("""{"taskType":"job_queue_cleanup","payload":{"retentionDays":30}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", FunctionsWorkerFixture.AdminToken);
        await WorkerListeningAsync();
        using var enqueued = await host.Http.SendAsync(request);
        var body = await enqueued.Response.Content.ReadAsStringAsync();
        Assert.True((int)enqueued.Response.StatusCode == 201, body + "\n" + host.Diagnostics());
        var jobId = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("jobId").GetString()!;
        await host.InvokeTimerAsync(Schedules.Runner.Name);

        var deadline = DateTime.UtcNow + Patience;
        while (Attempt(jobId) is null || RunnerEvent(jobId) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "not everything arrived at the ingestion stand-in; got:\n" + ingestion.Summary() + "\n" + host.Diagnostics());
            await Task.Delay(250);
        }

        var attempt = FakeIngestion.PropertiesOf(Attempt(jobId)!.Value);
        Assert.Equal("job_queue_cleanup", attempt["jobqueue.task_type"]);
        Assert.Equal("succeeded", attempt["jobqueue.outcome"]);
        // the enqueue ran inside the HTTP function's invocation: its trace context was stored and linked
        Assert.Contains("operation_Id", attempt["_MS.links"], StringComparison.Ordinal);
        var runnerEvent = FakeIngestion.PropertiesOf(RunnerEvent(jobId)!.Value);
        Assert.Equal("succeeded", runnerEvent["Outcome"]);
        Assert.Equal("job_queue_cleanup", runnerEvent["TaskType"]);
    }

    /// <summary>The worker reports its HTTP address before its listener accepts (seen on a loaded machine).</summary>
    private async Task WorkerListeningAsync()
    {
        var uri = host.HttpUri!;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(uri.Host, uri.Port);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    private System.Text.Json.JsonElement? Attempt(string jobId) =>
        ingestion.Of("RequestData").Cast<System.Text.Json.JsonElement?>()
            .FirstOrDefault(r => FakeIngestion.PropertiesOf(r!.Value).GetValueOrDefault("jobqueue.job.id") == jobId);

    private System.Text.Json.JsonElement? RunnerEvent(string jobId) =>
        ingestion.Of("MessageData").Cast<System.Text.Json.JsonElement?>().FirstOrDefault(m =>
        {
            var p = FakeIngestion.PropertiesOf(m!.Value);
            return p.GetValueOrDefault("CategoryName") == "JobQueue.Runner.JobRunner" && p.GetValueOrDefault("EventId") == "1001"
                   && p.GetValueOrDefault("JobId") == jobId;
        });
}
