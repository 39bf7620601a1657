using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using JobQueue.Queue;
using JobQueue.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobQueue.Benchmarks;

/// <summary>
/// The HTTP figures against the real JobQueue.Server app (<see cref="JobQueueServer"/>) on Kestrel over
/// loopback: <c>POST /api/jobs/run</c> latency, and pickup latency with the server's polling runner.
/// </summary>
public static class HttpFigures
{
    private const string RunnerSecret = "bench-runner-secret-0123456789";

    public static async Task<(Samples Empty, Samples Five)> RunnerPassAsync(string server, int samples)
    {
        await using var db = await BenchDatabase.CreateAsync(server, "http");
        await using var app = await StartServerAsync(db, pollSeconds: 0);
        using var http = Client(app);
        var store = app.Services.GetRequiredService<JobQueueStore>();

        var empty = await Samples.TimeAsync(samples, () => PostRunAsync(http, expected: 0));
        var five = await Samples.TimeAsync(samples, () => PostRunAsync(http, expected: 5), () => JobQueueFigures.FillAsync(store, 5, 5));
        return (empty, five);
    }

    /// <summary>Enqueue (library call) → handler start, the server's own polling runner doing the work.</summary>
    public static async Task<Samples> PickupAsync(string server, int samples, double pollSeconds)
    {
        await using var db = await BenchDatabase.CreateAsync(server, "httppick");
        using var probe = new PickupProbe(samples);
        await using var app = await StartServerAsync(db, pollSeconds);
        return await probe.ProduceAsync(app.Services.GetRequiredService<JobQueueStore>());
    }

    private static async Task PostRunAsync(HttpClient http, int expected)
    {
        using var response = await http.PostAsJsonAsync("api/jobs/run", new { limit = 5 });
        response.EnsureSuccessStatusCode();
        var report = await response.Content.ReadFromJsonAsync<Report>();
        if (report?.Processed != expected)
        {
            throw new InvalidOperationException($"POST /api/jobs/run processed {report?.Processed}, expected {expected}");
        }
    }

    private sealed record Report(string Status, int Processed);

    internal static HttpClient Client(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Add("x-job-runner-secret", RunnerSecret);
        return http;
    }

    internal const string AdminToken = "bench-admin-token-0123456789";

    /// <summary>JobQueue.Server on Kestrel over loopback, its runner loop polling every <paramref name="pollSeconds"/> (0 = off); <paramref name="settings"/> added.</summary>
    internal static async Task<WebApplication> StartServerAsync(BenchDatabase db, double pollSeconds, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["urls"] = "http://127.0.0.1:0",
            [JobQueueServiceCollectionExtensions.ConnectionStringKey] = db.ConnectionString,
            ["Database:MigrateOnStartup"] = "false",
            ["Secrets:job-runner-secret"] = RunnerSecret,
            ["Secrets:admin-token"] = AdminToken,
            ["Schedules:Enabled"] = "false",
            ["Runner:PollIntervalSeconds"] = pollSeconds.ToString(CultureInfo.InvariantCulture),
        });
        builder.Logging.ClearProviders();
        JobQueueServer.ConfigureBuilder(builder);
        builder.Services.AddJobHandler<NoopHandler>();
        var app = builder.Build();
        await JobQueueServer.ConfigureAppAsync(app);
        await app.StartAsync();
        return app;
    }
}
