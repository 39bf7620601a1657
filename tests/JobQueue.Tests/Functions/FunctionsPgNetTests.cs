using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using JobQueue.FunctionsTestHost;
using JobQueue.Tests.Infrastructure;
using Npgsql;

namespace JobQueue.Tests.Functions;

/// <summary>
/// The pg_net routes in the Functions worker: with <c>Database:MigrationConnectionString</c> (the schema
/// owner) the worker lists the owner's pg_cron jobs that are one net.http_* call with parsed fields only
/// (no command, no header or body value, no job whose call is only in a comment) and converts one; its
/// runtime login is never the one that reads them.
/// </summary>
public sealed class FunctionsPgNetTests : IAsyncLifetime
{
    private const string HeaderValue = "tenant-header-VALUE-4d5e";
    private const string BodyValue = "body-VALUE-6f7a";

    private readonly string prefix = CronTestDatabase.NewPrefix("fpgnet");
    private TestDatabase db = null!;
    private NpgsqlDataSource owner = null!;
    private FunctionsHost host = null!;

    private string Worker => prefix + "worker";

    private string Commented => prefix + "commented";

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        await CronTestDatabase.EnsureMigratedAsync();
        owner = NpgsqlDataSource.Create(CronTestDatabase.ConnectionString);
        await ScheduleAsync(Worker, $"""
            select net.http_post(url := 'https://abcd.supabase.co/functions/v1/notification-worker',
              headers := jsonb_build_object('X-Tenant', '{HeaderValue}', 'Authorization', 'Bearer ' || public.get_secret('service_role_key')),
              body := jsonb_build_object('note', '{BodyValue}', 'limit', 5));
            """);
        await ScheduleAsync(Commented, "-- select net.http_post(url := 'https://abcd.supabase.co/functions/v1/x')\nselect 1");
        var settings = FunctionsWorkerFixture.Settings(db);
        settings["Database:MigrateOnStartup"] = "false";
        settings["Cron:ConnectionString"] = LocalPostgres.AsRuntimeLogin(CronTestDatabase.ConnectionString);
        settings["HttpJobs:AllowedHosts"] = "abcd.supabase.co";
        settings[$"HttpJobs:SecretDestinations:{FunctionsWorkerFixture.HttpJobSecretName}"] = "https://abcd.supabase.co/functions/v1/";
        host = await FunctionsHost.StartAsync(new FunctionsHostOptions(FunctionsWorkerFixture.App) { Settings = settings });
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        if (owner is not null)
        {
            await using (var cmd = owner.CreateCommand("SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname LIKE $1"))
            {
                cmd.Parameters.AddWithValue(prefix + "%");
                await cmd.ExecuteNonQueryAsync();
            }

            await owner.DisposeAsync();
        }

        await db.DisposeAsync();
    }

    [Fact]
    public async Task The_worker_lists_parsed_fields_only_and_converts_over_the_owners_connection()
    {
        var (status, text) = await SendAsync(HttpMethod.Get, "/api/admin/cron-jobs/pg-net");
        Assert.True(status == 200, text + "\n" + host.Diagnostics());
        var jobs = JsonDocument.Parse(text).RootElement.GetProperty("jobs").EnumerateArray()
            .Where(j => j.GetProperty("jobName").GetString()!.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var job = Assert.Single(jobs);
        Assert.Equal(Worker, job.GetProperty("jobName").GetString());
        var request = job.GetProperty("request");
        Assert.Equal("https://abcd.supabase.co/functions/v1/notification-worker", request.GetProperty("url").GetString());
        Assert.Equal(new[] { "X-Tenant", "Authorization" }, request.GetProperty("headerNames").EnumerateArray().Select(h => h.GetString()));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(
            System.Text.Json.Nodes.JsonNode.Parse("{\"note\":\"string\",\"limit\":\"number\"}"),
            System.Text.Json.Nodes.JsonNode.Parse(request.GetProperty("bodyShape").GetRawText())), request.ToString());
        Assert.Equal("service-role-key", Assert.Single(job.GetProperty("secrets").EnumerateArray()).GetProperty("secret").GetString());
        foreach (var hidden in new[] { HeaderValue, BodyValue, "net.http_post", "jsonb_build_object", Commented })
        {
            Assert.DoesNotContain(hidden, text, StringComparison.Ordinal);
        }

        var (converted, body) = await SendAsync(HttpMethod.Post, "/api/admin/cron-jobs/pg-net/convert", JsonSerializer.Serialize(new { jobName = Worker }));
        Assert.True(converted == 201, body + "\n" + host.Diagnostics());
        await using var active = owner.CreateCommand("SELECT active FROM cron.job WHERE jobname = $1");
        active.Parameters.AddWithValue(Worker);
        Assert.False((bool)(await active.ExecuteScalarAsync())!);
    }

    private async Task<(int Status, string Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FunctionsWorkerFixture.AdminToken);
        using var result = await host.Http.SendAsync(request);
        return ((int)result.Response.StatusCode, await result.Response.Content.ReadAsStringAsync());
    }

    private async Task ScheduleAsync(string name, string command)
    {
        await using var cmd = owner.CreateCommand("SELECT cron.schedule($1, '0 0 1 1 *', $2)");
        cmd.Parameters.AddWithValue(name);
        cmd.Parameters.AddWithValue(command);
        await cmd.ExecuteScalarAsync();
    }
}
