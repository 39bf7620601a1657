using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using JobQueue.Telemetry;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace JobQueue.Tests.Telemetry;

/// <summary>
/// The server with APPLICATIONINSIGHTS_CONNECTION_STRING set exports through the real Azure Monitor
/// exporter to a stand-in ingestion endpoint on loopback: what arrives is what the KQL queries, the
/// workbook and the alerts read (requests for attempts with jobqueue.* dimensions and a link to the
/// enqueuing request, the runner's events as messages with CategoryName and EventId, the meter's
/// metrics by name with their tags). Live Metrics points at the same stand-in; SDK statistics are off.
/// </summary>
public sealed class AzureMonitorExportTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private TestDatabase db = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("APPLICATIONINSIGHTS_STATSBEAT_DISABLED", "true");
        Environment.SetEnvironmentVariable("APPLICATIONINSIGHTS_SDKSTATS_DISABLED", "true");
        db = await TestDatabase.CreateAsync();
    }

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task The_server_exports_attempts_runner_events_and_metrics_as_the_monitoring_queries_read_them()
    {
        await using var ingestion = FakeIngestion.Start();
        await using var api = await ApiTestServer.StartAsync(db, settings: new Dictionary<string, string?>
        {
            [JobQueueOpenTelemetryExtensions.ConnectionStringKey] = ingestion.ConnectionString,
        });

        var callerTrace = ActivityTraceId.CreateRandom();
        var ok = await EnqueueAsync(api, "{\"taskType\":\"test_echo\"}", $"00-{callerTrace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var failing = await EnqueueAsync(api, "{\"taskType\":\"test_echo\",\"payload\":{\"fail\":true},\"maxAttempts\":1}", null);
        await api.JsonAsync(HttpMethod.Post, "/api/jobs/run", "{}", Credentials.Runner, 200);

        api.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000);
        api.Services.GetRequiredService<LoggerProvider>().ForceFlush(10_000);
        api.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000);
        await WaitForAsync(ingestion, () =>
            Attempt(ingestion, failing) is not null && Attempt(ingestion, ok) is not null && RunnerEvent(ingestion, failing, "1003") is not null
            && Metric(ingestion, "jobqueue.jobs.failed") is not null);

        var attempt = Attempt(ingestion, ok)!.Value;
        var dims = FakeIngestion.PropertiesOf(attempt);
        Assert.Equal("run test_echo", attempt.GetProperty("name").GetString());
        Assert.True(attempt.GetProperty("success").GetBoolean());
        Assert.Equal("test_echo", dims["jobqueue.task_type"]);
        Assert.Equal("1", dims["jobqueue.attempt"]);
        Assert.Equal("succeeded", dims["jobqueue.outcome"]);
        // linked to the enqueuing request: the server's span of POST admin/jobs, in the caller's trace
        var enqueueRequests = ingestion.Of("RequestData").Where(r => r.GetProperty("name").GetString() == "POST /api/admin/jobs")
            .Select(r => (Operation: OperationId(ingestion.Envelopes, r), Span: r.GetProperty("id").GetString())).ToList();
        var link = Assert.Single(LinksOf(dims));
        Assert.Equal(callerTrace.ToHexString(), link.Operation);
        Assert.Contains((link.Operation, link.Span), enqueueRequests);

        var failedAttempt = Attempt(ingestion, failing)!.Value;
        Assert.False(failedAttempt.GetProperty("success").GetBoolean());
        Assert.Equal("failed", FakeIngestion.PropertiesOf(failedAttempt)["jobqueue.outcome"]);
        // enqueued by a request without trace context: linked to that request's own new trace
        var failedLink = Assert.Single(LinksOf(FakeIngestion.PropertiesOf(failedAttempt)));
        Assert.NotEqual(callerTrace.ToHexString(), failedLink.Operation);
        Assert.Contains((failedLink.Operation, failedLink.Span), enqueueRequests);

        // the alert's row: a message (traces) with CategoryName, EventId, Outcome, JobId, TaskType, Error, at Error
        var failedEvent = RunnerEvent(ingestion, failing, "1003")!.Value;
        var eventDims = FakeIngestion.PropertiesOf(failedEvent.GetProperty("data").GetProperty("baseData"));
        Assert.Equal("failed", eventDims["Outcome"]);
        Assert.Equal("test_echo", eventDims["TaskType"]);
        Assert.Contains("asked to fail", eventDims["Error"], StringComparison.Ordinal);
        Assert.Equal("Error", failedEvent.GetProperty("data").GetProperty("baseData").GetProperty("severityLevel").GetString());
        // ... inside the failed attempt's trace (operation_Id)
        Assert.Equal(OperationId(ingestion.Envelopes, failedAttempt), failedEvent.GetProperty("tags").GetProperty("ai.operation.id").GetString());

        var failedMetric = Metric(ingestion, "jobqueue.jobs.failed")!.Value;
        Assert.Equal("test_echo", FakeIngestion.PropertiesOf(failedMetric)["task_type"]);
        Assert.NotNull(Metric(ingestion, "jobqueue.runner.passes"));
        Assert.Equal("ok", FakeIngestion.PropertiesOf(Metric(ingestion, "jobqueue.runner.passes")!.Value)["status"]);
        Assert.NotNull(Metric(ingestion, "jobqueue.queue.oldest_pending_age")); // POST jobs/run sampled the queue
        Assert.Contains(ingestion.Of("ExceptionData"), e => e.ToString().Contains("asked to fail", StringComparison.Ordinal));
    }

    private static async Task<Guid> EnqueueAsync(ApiTestServer api, string body, string? traceParent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/jobs") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (traceParent is not null)
        {
            request.Headers.Add("traceparent", traceParent);
        }

        ApiTestServer.Authorize(request, Credentials.Admin);
        using var response = await api.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("jobId").GetGuid();
    }

    /// <summary>The links Azure Monitor stores in customDimensions["_MS.links"]: [{operation_Id, id}].</summary>
    private static List<(string? Operation, string? Span)> LinksOf(Dictionary<string, string> dimensions)
    {
        using var links = JsonDocument.Parse(dimensions["_MS.links"]);
        return links.RootElement.EnumerateArray()
            .Select(l => (l.GetProperty("operation_Id").GetString(), l.GetProperty("id").GetString())).ToList();
    }

    private static JsonElement? Attempt(FakeIngestion ingestion, Guid jobId) =>
        ingestion.Of("RequestData").Cast<JsonElement?>()
            .FirstOrDefault(r => FakeIngestion.PropertiesOf(r!.Value).GetValueOrDefault("jobqueue.job.id") == jobId.ToString());

    /// <summary>The whole envelope (its tags hold the operation id) of a runner event about <paramref name="jobId"/>.</summary>
    private static JsonElement? RunnerEvent(FakeIngestion ingestion, Guid jobId, string eventId) =>
        ingestion.Envelopes.Cast<JsonElement?>().FirstOrDefault(e =>
        {
            var data = e!.Value.GetProperty("data");
            if (data.GetProperty("baseType").GetString() != "MessageData")
            {
                return false;
            }

            var p = FakeIngestion.PropertiesOf(data.GetProperty("baseData"));
            return p.GetValueOrDefault("CategoryName") == "JobQueue.Runner.JobRunner" && p.GetValueOrDefault("EventId") == eventId
                   && p.GetValueOrDefault("JobId") == jobId.ToString();
        });

    private static JsonElement? Metric(FakeIngestion ingestion, string name) =>
        ingestion.Of("MetricData").Cast<JsonElement?>()
            .FirstOrDefault(m => m!.Value.GetProperty("metrics").EnumerateArray().Any(x => x.GetProperty("name").GetString() == name));

    private static string? OperationId(IEnumerable<JsonElement> envelopes, JsonElement baseData) =>
        envelopes.First(e => e.GetProperty("data").GetProperty("baseData").Equals(baseData) || e.GetProperty("data").GetProperty("baseData").ToString() == baseData.ToString())
            .GetProperty("tags").GetProperty("ai.operation.id").GetString();

    private static async Task WaitForAsync(FakeIngestion ingestion, Func<bool> arrived)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!arrived())
        {
            Assert.True(DateTime.UtcNow < deadline,
                "not everything arrived at the ingestion stand-in; got:\n" + ingestion.Summary());
            await Task.Delay(200);
        }
    }
}
