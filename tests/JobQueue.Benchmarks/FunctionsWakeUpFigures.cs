using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using JobQueue.FunctionsTestHost;
using JobQueue.Scheduling;
using JobQueue.Secrets;
using JobQueue.WakeUp;
using Npgsql;

namespace JobQueue.Benchmarks;

/// <summary>
/// Enqueue → start through the Functions app's wake-up path (issue 13.6): the BUILT Functions worker
/// (src/JobQueue.Functions, Release) started by the test host (tests/JobQueue.FunctionsTestHost, the
/// gRPC stand-in for the Functions host), Azurite as <c>AzureWebJobsStorage</c>, the host's listener on
/// the wake-up queue (polling as the Storage Queues extension does, host.json's maxPollingInterval).
/// One job at a time through the worker's HTTP enqueue function (<c>POST /api/admin/jobs</c>, a
/// <c>job_queue_cleanup</c> job over an empty table: next to no work), then a pause so that the next
/// pickup is cold (plus a random part of one polling interval, so that enqueues fall at any phase of
/// the listener's polling). The runner timer starts none of them: the test host fires no timers, the Runner
/// schedule is set a year out and disabled, the schedules' catch-up is off, and the worker's log is
/// checked for a timer pass. Start = the job record's <c>started_at</c>.
/// </summary>
public static class FunctionsWakeUpFigures
{
    private const string AdminToken = "bench-functions-admin-token-0123456789";
    private const string EnqueueJson = """{"taskType":"job_queue_cleanup","payload":{"retentionDays":30}}""";

    public sealed record WakeUpLatency(Samples HttpToStart, Samples CreatedToStart, int WakeUpInvocations, TimeSpan PollingInterval);

    public static async Task<WakeUpLatency> RunAsync(string server, int samples, TimeSpan pause, Action<string> progress)
    {
        var root = RepositoryRoot();
        await using var db = await BenchDatabase.CreateAsync(server, "fnwake");
        progress("starting Azurite");
        await using var azurite = await Azurite.StartAsync(root);
        progress("starting the built Functions worker (test host)");
        await using var host = await FunctionsHost.StartAsync(new FunctionsHostOptions(FunctionsAppBuild.Locate(root)) { Settings = Settings(db, azurite) });
        await using var listener = await QueueTriggerListener.StartAsync(host, RunnerWakeUp.FunctionName);

        var httpToStart = new Samples();
        var createdToStart = new Samples();
        const int warmup = 3;
        // the listener polls on a back-off schedule from its last message (0.2, 0.6, 1.4, 2.4, 3.4 s, ...): a fixed
        // pause would land every enqueue at the same phase of it; a random extra up to one polling interval does not
        var random = new Random(13);
        for (var i = 0; i < samples + warmup; i++)
        {
            await Task.Delay(pause + listener.MaxPollingInterval * random.NextDouble());
            var sent = DateTimeOffset.UtcNow;
            var id = await EnqueueAsync(host);
            var (created, started) = await WaitForStartAsync(db, id, host);
            if (i >= warmup)
            {
                httpToStart.AddMs((started - sent).TotalMilliseconds);
                createdToStart.AddMs((started - created).TotalMilliseconds);
            }
        }

        // ScheduleRunner.RunAsync records the Runner tick before its pass: no row, no timer pass
        if (await db.CountAsync($"SELECT count(*) FROM job_queue_schedule_ticks WHERE name = '{Schedules.Runner.Name}'") > 0
            || host.Stream.Logs.Any(l => l.Category == typeof(ScheduleRunner).FullName && l.Message.Contains("ran a runner pass", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException("the runner timer ran a pass: the figure would not measure the wake-up path");
        }

        return new WakeUpLatency(httpToStart, createdToStart, listener.Invocations.Count, listener.MaxPollingInterval);
    }

    /// <summary>The app settings of a deployment (as environment variables), the runner timer out of the way.</summary>
    private static Dictionary<string, string> Settings(BenchDatabase db, Azurite azurite)
    {
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["KeyVault:VaultUri"] = "",
            ["Database:ConnectionString"] = db.ConnectionString,
            ["Database:MigrationConnectionString"] = db.ConnectionString,
            [$"{ConfigurationSecretProvider.Section}:{SecretNames.AdminToken}"] = AdminToken,
            [$"{ConfigurationSecretProvider.Section}:{SecretNames.RunnerSecret}"] = "bench-functions-runner-secret-0123456789",
            ["Schedules:Enabled"] = "false",
            [$"AzureWebJobs.{Schedules.Runner.Name}.Disabled"] = "true",
        };
        // the Functions app's timers: the engine's and every module's it composes
        ScheduleDefinition[] schedules =
        [
            .. Schedules.All, JobTypesBuilderExtensions.JobQueueCleanup, JobTypesBuilderExtensions.StatsUpdateNightly,
            GamePlatformBuilderExtensions.SyncSchedule, GamePlatformBuilderExtensions.TotalsSweepSchedule,
        ];
        foreach (var schedule in schedules)
        {
            settings[schedule.SettingKey] = schedule == Schedules.Runner ? "0 0 0 1 1 *" : schedule.DefaultCron;
        }

        return settings;
    }

    private static async Task<Guid> EnqueueAsync(FunctionsHost host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/admin/jobs", UriKind.Relative))
        {
            Content = new StringContent(EnqueueJson, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var result = await host.Http.SendAsync(request);
        var body = await result.Response.Content.ReadAsStringAsync();
        if ((int)result.Response.StatusCode != 201)
        {
            throw new InvalidOperationException($"POST /api/admin/jobs answered {(int)result.Response.StatusCode}: {body}\n{host.Diagnostics()}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("jobId").GetGuid();
    }

    private static async Task<(DateTimeOffset Created, DateTimeOffset Started)> WaitForStartAsync(BenchDatabase db, Guid id, FunctionsHost host)
    {
        var waited = Stopwatch.StartNew();
        await using var conn = await db.DataSource!.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("SELECT created_at, started_at FROM job_queue WHERE id = $1", conn) { Parameters = { new() { Value = id } } };
        while (true)
        {
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                if (await reader.ReadAsync() && !await reader.IsDBNullAsync(1))
                {
                    return (reader.GetFieldValue<DateTimeOffset>(0), reader.GetFieldValue<DateTimeOffset>(1));
                }
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"job {id} did not start within 60 s of its enqueue\n{host.Diagnostics()}");
            }

            await Task.Delay(10);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (Functions.sln) not found above " + AppContext.BaseDirectory);
    }
}
