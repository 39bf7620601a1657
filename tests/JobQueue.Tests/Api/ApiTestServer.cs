using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using JobQueue.Server;
using JobQueue.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobQueue.Tests.Api;

/// <summary>
/// The server app (the very same <see cref="JobQueueServer"/> configuration) on a TestServer (or, with
/// <c>loopback</c>, on Kestrel at a free port of 127.0.0.1, for a real browser) over a test database,
/// with known local secrets, the schema owner's connection for the routes that need it (pg_net), schedules,
/// the polling runner and the maintainer off.
/// </summary>
public sealed class ApiTestServer : IAsyncDisposable
{
    public const string RunnerSecret = "runner-secret-CURRENT-7f3a9c";
    public const string PreviousRunnerSecret = "runner-secret-PREVIOUS-1b2c3d";
    public const string AdminToken = "admin-token-5e6f7a8b9c";
    public const string AdminRole = "JobQueue.Admin";

    private ApiTestServer(WebApplication app, TestDatabase db, Uri? baseAddress)
    {
        App = app;
        Db = db;
        BaseAddress = baseAddress;
        Client = baseAddress is null ? app.GetTestClient() : new HttpClient { BaseAddress = baseAddress };
    }

    /// <summary>The Kestrel address (<c>http://127.0.0.1:port/</c>) of a loopback server; null on a TestServer.</summary>
    public Uri? BaseAddress { get; }

    public WebApplication App { get; }

    public TestDatabase Db { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<ApiTestServer> StartAsync(
        TestDatabase db, Action<IServiceCollection>? configure = null, IDictionary<string, string?>? settings = null,
        ILoggerProvider? logs = null, bool loopback = false, bool engineOnly = false)
    {
        await CronTestDatabase.EnsureMigratedAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        if (loopback)
        {
            builder.Configuration["urls"] = "http://127.0.0.1:0";
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = db.AppConnectionString,
            ["Database:MigrateOnStartup"] = "false",
            // the schema owner's connection, as deployed: the pg_net routes read pg_cron with it
            ["Database:MigrationConnectionString"] = db.ConnectionString,
            ["Cron:ConnectionString"] = LocalPostgres.AsRuntimeLogin(CronTestDatabase.ConnectionString),
            ["Secrets:job-runner-secret"] = RunnerSecret,
            ["Secrets:job-runner-secret-previous"] = PreviousRunnerSecret,
            ["Secrets:admin-token"] = AdminToken,
            ["Auth:AppServiceAuthentication"] = "true",
            ["WEBSITE_AUTH_ENABLED"] = "True",
            ["Schedules:Enabled"] = "false",
            ["Runner:PollIntervalSeconds"] = "0",
            ["Maintenance:Enabled"] = "false",
            ["Runner:Backoff:BaseSeconds"] = "60",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        if (logs is not null)
        {
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(logs);
        }

        if (engineOnly)
        {
            JobQueueServer.ConfigureEngine(builder);
        }
        else
        {
            JobQueueServer.ConfigureBuilder(builder);
        }

        builder.Services.AddJobHandler<EchoHandler>();
        configure?.Invoke(builder.Services);
        var app = builder.Build();
        await JobQueueServer.ConfigureAppAsync(app);
        await app.StartAsync();
        return new ApiTestServer(app, db, loopback ? new Uri(app.Urls.Single().TrimEnd('/') + "/") : null);
    }

    /// <summary>A request with <paramref name="json"/> as its body, sent as <paramref name="contentType"/> (null: no Content-Type).</summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string? json = null, Credentials credentials = Credentials.None, string? contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        }

        Authorize(request, credentials);
        return await Client.SendAsync(request);
    }

    public async Task<JsonElement> JsonAsync(HttpMethod method, string path, string? json, Credentials credentials, int expectedStatus)
    {
        using var response = await SendAsync(method, path, json, credentials);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"{method} {path}: expected {expectedStatus}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static void Authorize(HttpRequestMessage request, Credentials credentials)
    {
        switch (credentials)
        {
            case Credentials.Admin:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
                break;
            case Credentials.Runner:
                request.Headers.Add("x-job-runner-secret", RunnerSecret);
                break;
            case Credentials.RunnerBearer:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", RunnerSecret);
                break;
            case Credentials.PreviousRunner:
                request.Headers.Add("x-job-runner-secret", PreviousRunnerSecret);
                break;
            case Credentials.WrongBearer:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
                break;
            case Credentials.WrongRunnerHeader:
                request.Headers.Add("x-job-runner-secret", RunnerSecret + "x");
                break;
            case Credentials.PrincipalWithRole:
                request.Headers.Add("x-ms-client-principal", Principal("alice@example.com", AdminRole));
                break;
            case Credentials.PrincipalWithoutRole:
                request.Headers.Add("x-ms-client-principal", Principal("bob@example.com", "Reader"));
                break;
            case Credentials.MalformedPrincipal:
                request.Headers.Add("x-ms-client-principal", "%%%not-base64%%%");
                break;
            case Credentials.None:
                break;
        }
    }

    /// <summary>An App Service Authentication principal header.</summary>
    public static string Principal(string name, params string[] roles)
    {
        var claims = new List<object> { new { typ = "name", val = name } };
        claims.AddRange(roles.Select(r => new { typ = "roles", val = r }));
        var json = JsonSerializer.Serialize(new { auth_typ = "aad", name_typ = "name", role_typ = "roles", claims });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>A fingerprint of every row the API can change: equal before and after = nothing changed.</summary>
    public Task<string> SnapshotAsync() => Db.SnapshotAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

public enum Credentials
{
    None,
    Admin,
    Runner,
    RunnerBearer,
    PreviousRunner,
    WrongBearer,
    WrongRunnerHeader,
    PrincipalWithRole,
    PrincipalWithoutRole,
    MalformedPrincipal,
}
