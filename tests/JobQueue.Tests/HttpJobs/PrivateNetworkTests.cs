using System.Net;
using System.Text.Json;
using JobQueue.HttpJobs;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static JobQueue.Tests.Infrastructure.HttpReceiver;

namespace JobQueue.Tests.HttpJobs;

/// <summary>
/// Targets other than global unicast without <c>HttpJobs:AllowPrivateNetworks</c>: refused when a job is
/// created, and on the resolved addresses when the HTTP jobs' client connects (a name that is allowed
/// but resolves to loopback), with a real receiver on loopback that must see nothing. Which addresses
/// are refused: <see cref="AddressClassificationTests"/>.
/// </summary>
public sealed class PrivateNetworkTests : IAsyncLifetime
{
    private TestDatabase db = null!;
    private HttpReceiver receiver = null!;
    private ApiTestServer api = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        receiver = await HttpReceiver.StartAsync();
        var settings = HttpJobsFixture.Settings(allowPrivateNetworks: false);
        settings["HttpJobs:AllowedHosts"] = "127.0.0.1,localhost,localhost.,[::1],169.254.169.254,10.1.2.3,[::7f00:1],[::127.0.0.1],[64:ff9b::a9fe:a9fe],192.0.2.1";
        api = await ApiTestServer.StartAsync(db, settings: settings);
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await receiver.DisposeAsync();
        await db.DisposeAsync();
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/x")]
    [InlineData("http://localhost:{port}/x")]
    [InlineData("http://localhost.:{port}/x")]
    [InlineData("http://[::1]:{port}/x")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://10.1.2.3/internal")]
    [InlineData("http://[::7f00:1]:{port}/x")] // IPv4-compatible 127.0.0.1
    [InlineData("http://[64:ff9b::a9fe:a9fe]/latest/meta-data")] // NAT64 169.254.169.254
    [InlineData("http://192.0.2.1/documentation")]
    public async Task Private_targets_are_refused_at_enqueue_even_when_allow_listed(string url)
    {
        var before = await api.SnapshotAsync();
        var body = JsonSerializer.Serialize(new { taskType = "http_request", payload = new { url = url.Replace("{port}", receiver.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) } });

        var problem = await api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", body, Credentials.Admin, 400);

        Assert.True(problem.GetProperty("errors").TryGetProperty("payload.url", out var reasons), problem.ToString());
        Assert.Contains("HttpJobs:AllowPrivateNetworks is off", reasons[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await api.SnapshotAsync());
    }

    [Fact]
    public async Task A_job_enqueued_in_sql_for_loopback_fails_for_good_without_a_request()
    {
        var path = NewPath("loop");
        var payload = JsonSerializer.Serialize(new { url = receiver.Url(path) });
        var id = await db.ScalarAsync<Guid>("SELECT job_queue_enqueue('http_request', $1::jsonb, now(), 5)", payload);

        await api.JsonAsync(HttpMethod.Post, "/api/jobs/run", "{\"force\":true}", Credentials.Runner, 200);

        Assert.Empty(receiver.Requests(path));
        Assert.Equal("failed", await db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", id));
        Assert.Contains("AllowPrivateNetworks is off", await db.ScalarAsync<string>("SELECT last_error FROM job_queue WHERE id = $1", id), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task The_jobs_client_checks_the_addresses_a_name_resolves_to_when_it_connects(string host)
    {
        var path = NewPath("resolved");
        var client = api.Services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpRequestHandler.ClientName);

        // no job rules on this path: only the connect callback stands between the name and loopback
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://{host}:{receiver.Port}{path}"));

        Assert.True(HttpJobResilience.IsRefusedTarget(refused), refused.ToString());
        Assert.Empty(receiver.Requests(path));
    }

    [Fact]
    public async Task With_private_networks_allowed_the_same_client_connects()
    {
        await using var allowed = await ApiTestServer.StartAsync(db, settings: HttpJobsFixture.Settings(allowPrivateNetworks: true));
        var path = NewPath("resolved-allowed");
        var client = allowed.Services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpRequestHandler.ClientName);

        using var response = await client.GetAsync($"http://localhost:{receiver.Port}{path}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(receiver.Requests(path));
    }
}
