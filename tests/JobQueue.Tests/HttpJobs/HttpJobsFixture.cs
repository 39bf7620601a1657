using System.Text.Json;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.HttpJobs;

/// <summary>
/// The server app over a test database with a local HTTP receiver that HTTP jobs may call (loopback
/// allowed), a secret for secret headers, and every log line captured. Jobs run through
/// <c>POST /api/jobs/run</c>; a failed attempt's queue backoff is a minute, so a retry stays visible.
/// </summary>
public sealed class HttpJobsFixture : IAsyncLifetime
{
    private readonly IDictionary<string, string?>? extraSettings;

    public HttpJobsFixture()
    {
    }

    /// <summary>With settings added to (or replacing) <see cref="Settings"/>; not for xunit, which needs one public constructor.</summary>
    internal HttpJobsFixture(IDictionary<string, string?> extraSettings) => this.extraSettings = extraSettings;

    public const string SecretName = "service-role-key";
    public const string SecretValue = "sk-live-SECRET-4f9a8b7c6d5e";

    public TestDatabase Db { get; private set; } = null!;

    public HttpReceiver Receiver { get; private set; } = null!;

    public ApiTestServer Api { get; private set; } = null!;

    public CapturingLoggerProvider Logs { get; } = new();

    public static Dictionary<string, string?> Settings(bool allowPrivateNetworks = true) => new()
    {
        ["HttpJobs:AllowedHosts"] = "127.0.0.1, *.example.test",
        ["HttpJobs:AllowPrivateNetworks"] = allowPrivateNetworks ? "true" : "false",
        ["HttpJobs:RetryBaseDelaySeconds"] = "0.05",
        ["HttpJobs:MaxRetryAfterSeconds"] = "5",
        ["HttpJobs:MaxRetries"] = "2",
        ["HttpJobs:CircuitBreakerMinimumThroughput"] = "1000",
        [$"Secrets:{SecretName}"] = SecretValue,
        ["Runner:Backoff:BaseSeconds"] = "60",
    };

    public async Task InitializeAsync()
    {
        Db = await TestDatabase.CreateAsync();
        Receiver = await HttpReceiver.StartAsync();
        var settings = Settings();
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        Api = await ApiTestServer.StartAsync(Db, settings: settings, logs: Logs);
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Receiver.DisposeAsync();
        await Db.DisposeAsync();
    }

    /// <summary>POST admin/jobs: the new job's id (201 expected).</summary>
    public async Task<Guid> EnqueueAsync(string taskType, object payload, int maxAttempts = 3)
    {
        var body = JsonSerializer.Serialize(new { taskType, payload, maxAttempts });
        var created = await Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", body, Credentials.Admin, 201);
        return created.GetProperty("jobId").GetGuid();
    }

    /// <summary>One runner pass through the HTTP runner route; returns the report.</summary>
    public Task<JsonElement> RunAsync() =>
        Api.JsonAsync(HttpMethod.Post, "/api/jobs/run", "{\"limit\":10,\"force\":true}", Credentials.Runner, 200);

    /// <summary>GET admin/jobs/{id}: the job with its attempt history.</summary>
    public Task<JsonElement> JobAsync(Guid id) => Api.JsonAsync(HttpMethod.Get, $"/api/admin/jobs/{id}", null, Credentials.Admin, 200);

    /// <summary>Every row the job left in the database, as text.</summary>
    public Task<string> RowsAsync(Guid id) => Db.ScalarAsync<string>(
        "SELECT (SELECT j::text FROM job_queue j WHERE j.id = $1) || COALESCE((SELECT string_agg(a::text, '|') FROM job_queue_attempts a WHERE a.job_id = $1), '')", id);
}
