using System.Net;
using System.Net.Http.Headers;
using Azure.Security.KeyVault.Secrets;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JobQueue.Tests.Secrets;

/// <summary>
/// The server with a (substituted) Key Vault: the connection string, runner secret (with rotation)
/// and admin token come from the vault, the <c>Secrets:*</c> settings are ignored, an outage keeps
/// cached values working, and no secret reaches a log line or a response.
/// </summary>
public sealed class VaultBackedApiTests : IAsyncLifetime, IDisposable
{
    private const string VaultRunnerCurrent = "vault-runner-NEW-91x";
    private const string VaultRunnerPrevious = "vault-runner-OLD-82y";
    private const string VaultRunnerOlder = "vault-runner-OLDER-73z";
    private const string VaultAdmin = "vault-admin-64w";

    private readonly KeyVaultFake vault = new();
    private readonly CapturingLoggerProvider logs = new();
    private TestDatabase db = null!;
    private ApiTestServer api = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        vault.Add("database-connection-string", db.AppConnectionString)
            .Add("job-runner-secret", VaultRunnerOlder).Add("job-runner-secret", "x", enabled: false)
            .Add("job-runner-secret", VaultRunnerPrevious).Add("job-runner-secret", VaultRunnerCurrent)
            .Add("admin-token", VaultAdmin);
        api = await ApiTestServer.StartAsync(db,
            services => services.Replace(ServiceDescriptor.Singleton<SecretClient>(vault.Client)),
            new Dictionary<string, string?>
            {
                ["KeyVault:VaultUri"] = "https://vault.example/",
                ["KeyVault:TimeoutSeconds"] = "2",
                ["KeyVault:CacheSeconds"] = "0",
                ["Database:ConnectionString"] = null,
                ["Database:MigrateOnStartup"] = "true",
                ["Database:MigrationConnectionString"] = db.ConnectionString,
                ["Cron:MigrationConnectionString"] = CronTestDatabase.ConnectionString,
            },
            logs);
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await db.DisposeAsync();
    }

    public void Dispose() => logs.Dispose();

    [Fact]
    public async Task Vault_secrets_are_used_and_configuration_secrets_ignored()
    {
        Assert.Equal(HttpStatusCode.OK, await RunAsync(VaultRunnerCurrent));
        Assert.Equal(HttpStatusCode.OK, await RunAsync(VaultRunnerPrevious));
        Assert.Equal(HttpStatusCode.Unauthorized, await RunAsync(VaultRunnerOlder));
        Assert.Equal(HttpStatusCode.Unauthorized, await RunAsync(ApiTestServer.RunnerSecret));
        Assert.Equal(HttpStatusCode.OK, await AdminAsync(VaultAdmin));
        Assert.Equal(HttpStatusCode.Unauthorized, await AdminAsync(ApiTestServer.AdminToken));
    }

    [Fact]
    public async Task A_vault_outage_keeps_cached_secrets_working_and_gives_503_for_one_never_loaded()
    {
        Assert.Equal(HttpStatusCode.OK, await RunAsync(VaultRunnerCurrent));
        vault.GoDown();

        Assert.Equal(HttpStatusCode.OK, await RunAsync(VaultRunnerCurrent));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await AdminAsync(VaultAdmin));
    }

    [Fact]
    public async Task No_secret_appears_in_any_log_line_or_response()
    {
        var bodies = new List<string>();
        foreach (var secret in new[] { VaultRunnerCurrent, VaultRunnerPrevious, VaultRunnerOlder, VaultAdmin, "wrong" })
        {
            bodies.Add(await SendAsync("/api/jobs/run", secret, "x-job-runner-secret"));
            bodies.Add(await SendAsync("/api/admin/job-queue/health", secret, null));
            bodies.Add(await SendAsync("/api/admin/jobs/trigger-sync", secret, null));
        }

        await api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", "{\"taskType\":\"test_echo\"}", Credentials.None, 401);
        vault.GoDown();
        bodies.Add(await SendAsync("/api/admin/jobs", VaultAdmin, null));

        Assert.NotEmpty(logs.Lines);
        var all = string.Join("\n", logs.Lines) + "\n" + string.Join("\n", bodies);
        foreach (var secret in new[] { VaultRunnerCurrent, VaultRunnerPrevious, VaultRunnerOlder, VaultAdmin, db.AppConnectionString, db.ConnectionString, "Password=jobqueue" })
        {
            Assert.DoesNotContain(secret, all, StringComparison.Ordinal);
        }
    }

    private async Task<HttpStatusCode> RunAsync(string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs/run");
        request.Headers.Add("x-job-runner-secret", secret);
        using var response = await api.Client.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<HttpStatusCode> AdminAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/job-queue/settings");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await api.Client.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<string> SendAsync(string path, string secret, string? header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        if (header is null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }
        else
        {
            request.Headers.Add(header, secret);
        }

        using var response = await api.Client.SendAsync(request);
        return $"{(int)response.StatusCode} {string.Join(",", response.Headers.Select(h => h.Key + "=" + string.Join(";", h.Value)))} {await response.Content.ReadAsStringAsync()}";
    }
}
