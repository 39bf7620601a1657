using System.Diagnostics;
using System.Net;
using JobQueue.Api;
using JobQueue.FunctionsTestHost;
using JobQueue.Scheduling;
using JobQueue.Tests.Functions;
using JobQueue.Tests.Infrastructure;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;
using Npgsql;

namespace JobQueue.Tests.Recovery;

/// <summary>
/// The Functions worker started while PostgreSQL is down (issue 12, items 1 and 3): it starts (no
/// crash loop), its HTTP functions answer 503 problem+json with Retry-After instead of failing, its
/// upkeep timer completes, and it becomes ready by itself, migrated, once PostgreSQL is there.
/// Uses a cluster of its own (port + 54).
/// </summary>
public sealed class FunctionsStartWithoutDatabaseTests : IAsyncLifetime
{
    private readonly OwnCluster cluster = new(54);
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

    [Fact]
    public async Task The_worker_starts_without_postgres_answers_503_and_becomes_ready_when_it_returns()
    {
        var settings = FunctionsWorkerFixture.Settings(db);
        settings["Database:ConnectionString"] = cluster.RuntimeConnectionString;
        settings["Database:MigrationConnectionString"] = cluster.OwnerConnectionString;
        await using var host = await FunctionsHost.StartAsync(new FunctionsHostOptions(FunctionsWorkerFixture.App) { Settings = settings });

        // every HTTP function that needs the database: 503 problem+json with Retry-After, and no function failed
        foreach (var route in ComposedApp.Routes)
        {
            var path = "/api/" + route.Template.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
            using var unavailable = await SendAsync(host, new HttpMethod(route.Method), path, DatabaseOutageApiTests.ValidBodyOf(route, "job_queue_cleanup"),
                route.Auth == ApiAuth.Runner ? FunctionsWorkerFixture.RunnerSecret : FunctionsWorkerFixture.AdminToken);
            var body = await unavailable.Response.Content.ReadAsStringAsync();
            Assert.Equal(StatusResult.Types.Status.Success, unavailable.Invocation!.Result.Status);
            if (DatabaseOutageApiTests.RoutesWithoutDatabase.Contains(route.Name))
            {
                Assert.True((int)unavailable.Response.StatusCode < 500, $"{route.Name}: {body}\n{host.Diagnostics()}");
                continue;
            }

            Assert.True(unavailable.Response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{route.Name}: {body}\n{host.Diagnostics()}");
            Assert.Equal("application/problem+json", unavailable.Response.Content.Headers.ContentType?.MediaType);
            Assert.True(unavailable.Response.Headers.RetryAfter is not null, $"{route.Name}: no Retry-After: {body}");
            Assert.Contains("not ready", body, StringComparison.Ordinal);
        }

        Assert.Equal(StatusResult.Types.Status.Success, (await host.InvokeTimerAsync(Schedules.QueueMaintenance.Name)).Result.Status);
        var sw = Stopwatch.StartNew();
        while (!host.Stream.Logs.Any(l => l.Message.Contains("Database start-up attempt", StringComparison.Ordinal)))
        {
            Assert.True(sw.Elapsed < TimeSpan.FromMinutes(1), "no start-up retry was logged\n" + host.Diagnostics());
            await Task.Delay(100);
        }

        Assert.DoesNotContain(host.Stream.Logs, l => l.Level >= RpcLog.Types.Level.Error);

        // PostgreSQL arrives: the worker migrates the fresh database and answers
        cluster.Run("start");
        sw.Restart();
        while (true)
        {
            using var health = await SendAsync(host, HttpMethod.Get, "/api/admin/job-queue/health");
            if (health.Response.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            Assert.True(sw.Elapsed < TimeSpan.FromMinutes(3), "not ready 3 minutes after PostgreSQL started\n" + host.Diagnostics());
            await Task.Delay(1000);
        }

        using var enqueued = await SendAsync(host, HttpMethod.Post, "/api/admin/jobs", """{"taskType":"job_queue_cleanup"}""");
        Assert.True(enqueued.Response.StatusCode == HttpStatusCode.Created,
            $"{enqueued.Response.StatusCode} {await enqueued.Response.Content.ReadAsStringAsync()} {enqueued.Invocation?.Result.Exception?.Message}\n{host.Diagnostics()}");
        Assert.DoesNotContain(host.Stream.Logs, l => l.Level >= RpcLog.Types.Level.Error);
    }

    private static Task<HttpInvocationResult> SendAsync(
        FunctionsHost host, HttpMethod method, string path, string? json = null, string bearer = FunctionsWorkerFixture.AdminToken)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        return host.Http.SendAsync(request);
    }
}
