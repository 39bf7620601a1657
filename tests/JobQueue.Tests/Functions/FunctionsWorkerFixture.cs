using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using JobQueue.FunctionsTestHost;
using JobQueue.Scheduling;
using JobQueue.Secrets;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Functions;

/// <summary>
/// The built Functions worker (src/JobQueue.Functions) started by <see cref="FunctionsHost"/> over a
/// test database (as its runtime login; the startup migration as the owner), with local secrets and
/// the app settings a deployment sets, for one test class.
/// </summary>
public sealed class FunctionsWorkerFixture : IAsyncLifetime
{
    public const string AdminToken = "functions-admin-token-4c1d9e";
    public const string RunnerSecret = "functions-runner-secret-8a2b7f";

    public TestDatabase Db { get; private set; } = null!;

    public FunctionsHost Host { get; private set; } = null!;

    /// <summary>From process start to every function loaded.</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>The Functions app built in this test assembly's configuration (the test project builds it first).</summary>
    public static FunctionsAppBuild App => FunctionsAppBuild.Locate(RepositoryFiles.Root, BuildConfiguration);

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif

    public const string HttpJobSecretName = "service-role-key";
    public const string HttpJobSecretValue = "worker-http-job-SECRET-3c2b1a";
    public const string PreviousAdminToken = "functions-admin-token-PREVIOUS-5e6f";

    /// <summary>The app settings, as on Azure (environment variables), for a worker over <paramref name="db"/>.</summary>
    public static Dictionary<string, string> Settings(TestDatabase db)
    {
        var settings = new Dictionary<string, string>
        {
            // no storage: the wake-up queue is off (FunctionsRunnerFixture has Azurite)
            ["AzureWebJobsStorage"] = "",
            ["KeyVault:VaultUri"] = "",
            // as deployed: the app runs as a login that owns nothing; the startup migration runs as the owner
            ["Database:ConnectionString"] = db.AppConnectionString,
            ["Database:MigrationConnectionString"] = db.ConnectionString,
            [$"{ConfigurationSecretProvider.Section}:{SecretNames.AdminToken}"] = AdminToken,
            [$"{ConfigurationSecretProvider.Section}:{SecretNames.RunnerSecret}"] = RunnerSecret,
            ["Runner:DefaultLimit"] = "10",
            // HTTP jobs may call a receiver on loopback; the stats pipeline has one step (its nightly run is off without steps)
            ["HttpJobs:AllowedHosts"] = "127.0.0.1",
            ["HttpJobs:AllowPrivateNetworks"] = "true",
            [$"{ConfigurationSecretProvider.Section}:{HttpJobSecretName}"] = HttpJobSecretValue,
            [$"HttpJobs:SecretDestinations:{HttpJobSecretName}"] = "127.0.0.1",
            // an app secret's previous value, which no job may send
            [$"{ConfigurationSecretProvider.Section}:{SecretNames.AdminToken}-previous"] = PreviousAdminToken,
            ["Pipelines:StatsUpdate:Steps:0:Name"] = "probe",
            ["Pipelines:StatsUpdate:Steps:0:Function"] = "pg_catalog.now",
            ["Pipelines:StatsUpdate:Steps:0:CacheTags"] = "probe",
        };
        foreach (var schedule in ComposedApp.Schedules)
        {
            settings[schedule.SettingKey] = schedule.DefaultCron;
        }

        return settings;
    }

    public async Task InitializeAsync()
    {
        Db = await TestDatabase.CreateAsync();
        var started = Stopwatch.StartNew();
        Host = await FunctionsHost.StartAsync(new FunctionsHostOptions(App) { Settings = Settings(Db) });
        StartDuration = started.Elapsed;
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await Db.DisposeAsync();
    }

    /// <summary>
    /// An HTTP call through the host to the worker; <paramref name="bearer"/> goes in Authorization, the
    /// body as <paramref name="contentType"/> (null: without a Content-Type).
    /// </summary>
    public async Task<HttpInvocationResult> SendAsync(
        HttpMethod method, string pathAndQuery, string? json = null, string? bearer = null, string? contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(pathAndQuery, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await Host.Http.SendAsync(request);
    }

    /// <summary>An admin call that must answer <paramref name="expectedStatus"/> with JSON; the body.</summary>
    public async Task<JsonElement> AdminJsonAsync(HttpMethod method, string pathAndQuery, int expectedStatus, string? json = null)
    {
        using var result = await SendAsync(method, pathAndQuery, json, AdminToken);
        var body = await result.Response.Content.ReadAsStringAsync();
        Assert.True((int)result.Response.StatusCode == expectedStatus,
            $"{method} {pathAndQuery}: expected {expectedStatus}, got {(int)result.Response.StatusCode}: {body}\n{Host.Diagnostics()}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
