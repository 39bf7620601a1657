using System.Net;
using System.Net.Http.Headers;
using JobQueue.Server;
using Microsoft.Extensions.Configuration;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Settings;

/// <summary>
/// The local server reads the settings file named by JOBQUEUE_SETTINGS_FILE (what infra/local/run.sh makes
/// from local.settings.sample.json): the Functions format's Values, or an appsettings JSON; environment
/// variables win over it.
/// </summary>
public sealed class LocalSettingsFileTests
{
    [Fact]
    public void The_functions_format_is_read_as_settings_with_double_underscores_as_sections()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """
                { "IsEncrypted": false,
                  "Values": { "HttpJobs__SecretDestinations__service-role-key": "https://abcd.supabase.co/functions/v1/", "Runner__MaxLimit": "7" } }
                """);

            var settings = LocalSettingsFile.Read(file);

            Assert.Equal("https://abcd.supabase.co/functions/v1/", settings["HttpJobs:SecretDestinations:service-role-key"]);
            Assert.Equal("7", settings["Runner:MaxLimit"]);
            Assert.False(settings.ContainsKey("IsEncrypted"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void An_appsettings_file_is_read_as_nested_sections()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{ "Runner": { "MaxLimit": 7 }, "HttpJobs": { "AllowedHosts": [ "a.example.com", "b.example.com" ] } }""");

            var settings = LocalSettingsFile.Read(file);

            Assert.Equal("7", settings["Runner:MaxLimit"]);
            Assert.Equal("b.example.com", settings["HttpJobs:AllowedHosts:1"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_settings_file_that_does_not_exist_stops_the_start_naming_the_setting()
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { [LocalSettingsFile.PathSetting] = "/nonexistent/settings.json" });

        var error = Assert.Throws<FileNotFoundException>(configuration.AddLocalSettingsFile);

        Assert.Contains(LocalSettingsFile.PathSetting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_process_takes_its_admin_token_from_the_file_and_an_environment_variable_wins_over_the_file()
    {
        var db = await TestDatabase.CreateAsync();
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """
                { "IsEncrypted": false,
                  "Values": { "Secrets__admin-token": "admin-token-from-the-file-0123456789",
                              "Secrets__job-runner-secret": "runner-secret-from-the-file-0123456789",
                              "Schedules__Enabled": "false" } }
                """);
            await using var server = await ServerProcess.StartAsync(db, new Dictionary<string, string>
            {
                [LocalSettingsFile.PathSetting] = file,
                ["Secrets__job-runner-secret"] = "runner-secret-from-the-environment-0123456789",
            });
            using var http = new HttpClient { BaseAddress = new Uri(server.Url) };

            Assert.Equal(HttpStatusCode.OK, await HealthAsync(http, "admin-token-from-the-file-0123456789"));
            Assert.Equal(HttpStatusCode.Unauthorized, await HealthAsync(http, "some-other-token-0123456789"));
            Assert.Equal(HttpStatusCode.OK, await RunPassAsync(http, "runner-secret-from-the-environment-0123456789"));
            Assert.Equal(HttpStatusCode.Unauthorized, await RunPassAsync(http, "runner-secret-from-the-file-0123456789"));
        }
        finally
        {
            File.Delete(file);
            await db.DisposeAsync();
        }
    }

    private static async Task<HttpStatusCode> HealthAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/job-queue/health");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> RunPassAsync(HttpClient http, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs/run") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("x-job-runner-secret", secret);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
