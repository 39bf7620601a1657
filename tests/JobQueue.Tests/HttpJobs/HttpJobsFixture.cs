using System.Text.Json;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.HttpJobs;

/// <summary>
/// The server app over a test database with a local HTTP receiver that HTTP jobs may call (loopback
/// allowed), secrets for secret headers with their destinations (the receiver for some, elsewhere or
/// nowhere for others, a path prefix on the receiver for one), values for the app's own secrets that a
/// job must never send, and every log line captured. Jobs run through <c>POST /api/jobs/run</c>; a
/// failed attempt's queue backoff is a minute, so a retry stays visible.
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

    /// <summary>A secret whose value encodes differently in every form (URL, JSON, base64's +/).</summary>
    public const string EchoSecretName = "echo-key";
    public const string EchoSecretValue = "sk+live/ECHO=4f9a 8b7c&6d5e<q>";

    /// <summary>A secret that may go only to https://abcd.supabase.co/functions/v1/, not to the receiver.</summary>
    public const string ElsewhereSecretName = "elsewhere-key";
    public const string ElsewhereSecretValue = "elsewhere-SECRET-91ab2c3d";

    /// <summary>A secret without destinations: no job may send it.</summary>
    public const string UnlistedSecretName = "unlisted-key";
    public const string UnlistedSecretValue = "unlisted-SECRET-5c6d7e8f";

    /// <summary>A secret that may go only under /allowed/ on the receiver.</summary>
    public const string PrefixedSecretName = "prefixed-key";
    public const string PrefixedSecretValue = "prefixed-SECRET-7e8f9a0b";

    /// <summary>Values of the app's own secrets (beyond those every test server has) that jobs must never send.</summary>
    public static readonly IReadOnlyDictionary<string, string> AppSecretValues = new Dictionary<string, string>
    {
        ["admin-token-previous"] = "admin-token-PREVIOUS-2a3b4c5d",
        ["game-platform-api-key"] = "game-platform-KEY-6e7f8a9b",
        ["game-platform-api-key-previous"] = "game-platform-OLD-KEY-0c1d2e",
        ["stats-cache-invalidation-token"] = "cache-token-VALUE-3f4a5b6c",
        ["database-connection-string"] = "Host=db.example.test;Password=db-PASSWORD-7d8e9f",
    };

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
        ["HttpJobs:SecretDestinations:" + SecretName] = "127.0.0.1, api.example.test",
        [$"Secrets:{EchoSecretName}"] = EchoSecretValue,
        ["HttpJobs:SecretDestinations:" + EchoSecretName + ":0"] = "127.0.0.1",
        [$"Secrets:{ElsewhereSecretName}"] = ElsewhereSecretValue,
        ["HttpJobs:SecretDestinations:" + ElsewhereSecretName] = "https://abcd.supabase.co/functions/v1/",
        [$"Secrets:{UnlistedSecretName}"] = UnlistedSecretValue,
        [$"Secrets:{PrefixedSecretName}"] = PrefixedSecretValue,
        ["HttpJobs:SecretDestinations:not-stored-anywhere"] = "127.0.0.1",
        ["Runner:Backoff:BaseSeconds"] = "60",
    };

    public async Task InitializeAsync()
    {
        Db = await TestDatabase.CreateAsync();
        Receiver = await HttpReceiver.StartAsync();
        var settings = Settings();
        settings["HttpJobs:SecretDestinations:" + PrefixedSecretName] = $"http://127.0.0.1:{Receiver.Port}/allowed/";
        foreach (var (name, value) in AppSecretValues)
        {
            settings["Secrets:" + name] = value;
        }

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

    /// <summary>
    /// One runner pass, after which job <paramref name="id"/> has failed for good in its first attempt with
    /// <paramref name="error"/> in its last error, and <paramref name="path"/> on the receiver saw nothing. The job.
    /// </summary>
    public async Task<JsonElement> RunExpectingFailureWithoutRequestAsync(Guid id, string path, string error)
    {
        await RunAsync();
        Assert.Empty(Receiver.Requests(path));
        var job = await JobAsync(id);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        Assert.Contains(error, job.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        return job;
    }

    /// <summary>GET admin/jobs/{id}: the job with its attempt history.</summary>
    public Task<JsonElement> JobAsync(Guid id) => Api.JsonAsync(HttpMethod.Get, $"/api/admin/jobs/{id}", null, Credentials.Admin, 200);

    /// <summary>Every row the job left in the database, as text.</summary>
    public Task<string> RowsAsync(Guid id) => Db.ScalarAsync<string>(
        "SELECT (SELECT j::text FROM job_queue j WHERE j.id = $1) || COALESCE((SELECT string_agg(a::text, '|') FROM job_queue_attempts a WHERE a.job_id = $1), '')", id);
}
