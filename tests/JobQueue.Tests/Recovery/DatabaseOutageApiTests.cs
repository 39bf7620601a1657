using System.Net;
using JobQueue.Api;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Recovery;

/// <summary>
/// Database unavailable = 503 with Retry-After and a problem+json body on every route that needs the
/// database (issue 12, item 3; the others answer as usual), with neither an unhandled-exception log line nor a stack trace, and a throttled warning.
/// </summary>
public sealed class DatabaseOutageApiTests : IAsyncLifetime, IDisposable
{
    private readonly CapturingLoggerProvider logs = new();
    private TestDatabase db = null!;
    private ApiTestServer api = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        // nothing listens on this port: every connection is refused, as while PostgreSQL is down
        var nowhere = new OwnCluster(53).RuntimeConnectionString;
        api = await ApiTestServer.StartAsync(db, settings: new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = nowhere,
            ["Cron:ConnectionString"] = nowhere,
            // the pg_net routes read pg_cron as the schema owner: unreachable too
            ["Database:MigrationConnectionString"] = nowhere,
            // a stats pipeline with a step, so that its enqueue route gets as far as the database
            ["Pipelines:StatsUpdate:Steps:0:Name"] = "probe",
            ["Pipelines:StatsUpdate:Steps:0:Function"] = "pg_catalog.now",
        }, logs: logs);
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await db.DisposeAsync();
    }

    public void Dispose() => logs.Dispose();

    [Fact]
    public async Task Every_route_answers_503_with_retry_after_and_a_problem_and_logs_no_unhandled_exception()
    {
        foreach (var route in ComposedApp.Routes)
        {
            var path = "/api/" + route.Template.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
            using var response = await api.SendAsync(new HttpMethod(route.Method), path, ValidBodyOf(route),
                route.Auth == ApiAuth.Runner ? Credentials.Runner : Credentials.Admin);
            var body = await response.Content.ReadAsStringAsync();
            if (RoutesWithoutDatabase.Contains(route.Name))
            {
                // no database needed: it answers as usual
                Assert.True((int)response.StatusCode < 500, $"{route.Name}: {(int)response.StatusCode} {body}");
                continue;
            }

            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{route.Name}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(TimeSpan.FromSeconds(DatabaseOutageGuard.RetryAfterSeconds) == response.Headers.RetryAfter?.Delta, $"{route.Name}: Retry-After {response.Headers.RetryAfter} {body}");
            Assert.Contains("\"status\":503", body, StringComparison.Ordinal);
            Assert.Contains("database", body, StringComparison.Ordinal);
            Assert.DoesNotContain(new OwnCluster(53).Port.ToString(System.Globalization.CultureInfo.InvariantCulture), body, StringComparison.Ordinal);
        }

        var lines = logs.Lines.ToList();
        Assert.DoesNotContain(lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(lines, l => l.Contains("   at ", StringComparison.Ordinal));
        // one line per 10 s for all these requests, however many there were
        var warnings = lines.Where(l => l.Contains("[2110]", StringComparison.Ordinal)).ToList();
        Assert.InRange(warnings.Count, 1, 3);
        Assert.Contains("answered 503", warnings[0], StringComparison.Ordinal);
    }

    /// <summary>Routes that never read the database (the registered task types, a schedule's description, the dashboard's files).</summary>
    internal static readonly HashSet<string> RoutesWithoutDatabase = ["AdminTaskTypes", "AdminTriggerActions", "AdminCronJobsDescribe", "Dashboard", "OpenApiDocument", "ApiReference"];

    /// <summary>A body the route accepts (with <paramref name="taskType"/> where it names one), so that it gets as far as the database.</summary>
    internal static string? ValidBodyOf(ApiRoute route, string taskType = "test_echo") => route.Name switch
    {
        "AdminJobsEnqueue" => $"{{\"taskType\":\"{taskType}\"}}",
        "AdminCronJobsCreate" => $"{{\"jobName\":\"outage\",\"schedule\":\"* * * * *\",\"taskType\":\"{taskType}\",\"payload\":{{}}}}",
        "AdminCronJobsToggle" => "{\"jobName\":\"outage\",\"active\":true}",
        "AdminCronJobsSchedule" => "{\"jobName\":\"outage\",\"schedule\":\"* * * * *\"}",
        "AdminCronJobsDelete" => "{\"jobName\":\"outage\"}",
        "AdminJobsEnqueueStats" => "{\"triggeredBy\":\"admin\"}",
        "AdminCronJobsPgNetConvert" => "{\"jobName\":\"outage\"}",
        "AdminTaskLimitsSet" => $"{{\"taskType\":\"{taskType}\",\"maxConcurrency\":2}}",
        "AdminTaskLimitsPause" => $"{{\"taskType\":\"{taskType}\",\"seconds\":60}}",
        "AdminTaskLimitsResume" => $"{{\"taskType\":\"{taskType}\"}}",
        _ => ApiServerFixture.ValidBodyOf(route),
    };
}
