using System.Diagnostics;
using System.Net;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using Npgsql;

namespace JobQueue.Tests.Recovery;

/// <summary>
/// Start-up without a database (issue 12, item 1): the server starts while PostgreSQL is down, says
/// "not ready" (readiness probe and health route: 503 problem+json), logs one line per retry without
/// a stack trace, and becomes ready by itself, migrated, once PostgreSQL is there.
/// </summary>
public sealed class StartWithoutDatabaseTests : IAsyncLifetime, IDisposable
{
    private readonly OwnCluster cluster = new(51);
    private readonly CapturingLoggerProvider logs = new();
    private TestDatabase db = null!;

    public async Task InitializeAsync()
    {
        cluster.Run("destroy");
        db = await TestDatabase.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        cluster.Run("destroy");
        await db.DisposeAsync();
    }

    public void Dispose() => logs.Dispose();

    [Fact]
    public async Task The_server_starts_without_postgres_reports_not_ready_and_becomes_ready_when_it_returns()
    {
        await using var api = await ApiTestServer.StartAsync(db, settings: new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = cluster.RuntimeConnectionString,
            ["Database:MigrationConnectionString"] = cluster.OwnerConnectionString,
            ["Database:MigrateOnStartup"] = "true",
            ["Cron:ConnectionString"] = null,
        }, logs: logs);

        using (var live = await api.SendAsync(HttpMethod.Get, "/healthz/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        await AssertNotReadyAsync(api);
        var sw = Stopwatch.StartNew();
        while (StartupFailures().Count < 2)
        {
            Assert.True(sw.Elapsed < TimeSpan.FromMinutes(1), "no retries were logged");
            await Task.Delay(100);
        }

        var failures = StartupFailures();
        Assert.All(failures, l => Assert.StartsWith("Warning JobQueue.Database.DatabaseStartupService [4002]", l));
        Assert.All(failures, l => Assert.Contains("the database cannot be reached", l, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("   at ", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));

        // PostgreSQL arrives (a fresh cluster: the app's migrations create the whole schema)
        cluster.Run("start");
        sw.Restart();
        while (true)
        {
            using var ready = await api.SendAsync(HttpMethod.Get, "/healthz/ready");
            if (ready.StatusCode == HttpStatusCode.OK)
            {
                Assert.Contains("\"status\":\"ready\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                break;
            }

            Assert.True(sw.Elapsed < TimeSpan.FromMinutes(3), "not ready 3 minutes after PostgreSQL started");
            await Task.Delay(500);
        }

        Assert.Contains(logs.Lines, l => l.Contains("[4003] Database ready", StringComparison.Ordinal));
        var health = await api.JsonAsync(HttpMethod.Get, "/api/admin/job-queue/health", null, Credentials.Admin, 200);
        Assert.True(health.GetProperty("processingEnabled").GetBoolean());
        await api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", "{\"taskType\":\"test_echo\"}", Credentials.Admin, 201);
    }

    private List<string> StartupFailures() => logs.Lines.Where(l => l.Contains("[4002]", StringComparison.Ordinal)).ToList();

    private static async Task AssertNotReadyAsync(ApiTestServer api)
    {
        using var ready = await api.SendAsync(HttpMethod.Get, "/healthz/ready");
        var body = await ready.Content.ReadAsStringAsync();
        Assert.True(ready.StatusCode == HttpStatusCode.ServiceUnavailable, body);
        Assert.Equal("application/problem+json", ready.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(ready.Headers.RetryAfter);
        Assert.Contains("not ready", body, StringComparison.Ordinal);

        using var health = await api.SendAsync(HttpMethod.Get, "/api/admin/job-queue/health", credentials: Credentials.Admin);
        var problem = await health.Content.ReadAsStringAsync();
        Assert.True(health.StatusCode == HttpStatusCode.ServiceUnavailable, problem);
        Assert.Equal("application/problem+json", health.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not ready", problem, StringComparison.Ordinal);
    }
}
