using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobQueue.Benchmarks;

/// <summary>
/// The stats pipeline's targets (issue 14: under 5 s from enqueue to start, under 45 s of processing,
/// cache invalidated under 2 s after the last step) on JobQueue.Server over loopback: ten SQL steps
/// that each sleep <see cref="StepSeconds"/> s, four at a time, the invalidation POSTed to a loopback
/// receiver, one run after another through <c>POST /api/admin/jobs/enqueue-stats-job</c>. The figures
/// are read from each job's record (<c>output.timings</c>, started/completed), as an operator would.
/// </summary>
public static class StatsPipelineFigures
{
    public const double StepSeconds = 0.5;
    private const int Steps = 10;
    private const int Parallelism = 4;

    public sealed record Result(Samples EnqueueToStart, Samples Processing, Samples StepsOnly, Samples Invalidation, int Succeeded, int Runs);

    public static async Task<Result> RunAsync(string server, int runs, double pollSeconds)
    {
        await using var db = await BenchDatabase.CreateAsync(server, "stats");
        for (var i = 0; i < Steps; i++)
        {
            await db.ExecuteAsync($"CREATE FUNCTION public.bench_stats_step_{i}() RETURNS void LANGUAGE sql AS $$ SELECT pg_sleep({StepSeconds.ToString(CultureInfo.InvariantCulture)}) $$");
        }

        await using var receiver = await StartReceiverAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Pipelines:StatsUpdate:MaxParallelism"] = Parallelism.ToString(CultureInfo.InvariantCulture),
            ["Pipelines:StatsUpdate:CacheInvalidationUrl"] = Address(receiver) + "/revalidate",
            ["Secrets:stats-cache-invalidation-token"] = "bench-cache-token-0123456789",
            ["HttpJobs:AllowedHosts"] = "127.0.0.1",
            ["HttpJobs:AllowPrivateNetworks"] = "true",
        };
        for (var i = 0; i < Steps; i++)
        {
            settings[$"Pipelines:StatsUpdate:Steps:{i}:Name"] = $"step_{i}";
            settings[$"Pipelines:StatsUpdate:Steps:{i}:Function"] = $"public.bench_stats_step_{i}";
            settings[$"Pipelines:StatsUpdate:Steps:{i}:CacheTags"] = $"tag_{i}";
        }

        await using var app = await HttpFigures.StartServerAsync(db, pollSeconds, settings);
        using var http = HttpFigures.Client(app);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", HttpFigures.AdminToken);

        var result = new Result(new Samples(), new Samples(), new Samples(), new Samples(), 0, runs);
        var succeeded = 0;
        for (var run = 0; run < runs; run++)
        {
            using var enqueued = await http.PostAsJsonAsync("api/admin/jobs/enqueue-stats-job", new { triggeredBy = "admin", userId = "bench" });
            enqueued.EnsureSuccessStatusCode();
            var jobId = (await enqueued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
            var job = await WaitFinishedAsync(http, jobId);
            if (job.GetProperty("status").GetString() != "succeeded")
            {
                continue;
            }

            succeeded++;
            var timings = job.GetProperty("output").GetProperty("timings");
            result.EnqueueToStart.AddMs(timings.GetProperty("enqueueToStartMs").GetInt64());
            result.StepsOnly.AddMs(timings.GetProperty("stepsMs").GetInt64());
            result.Invalidation.AddMs(timings.GetProperty("lastStepToInvalidationMs").GetInt64());
            result.Processing.AddMs((job.GetProperty("completedAt").GetDateTimeOffset() - job.GetProperty("startedAt").GetDateTimeOffset()).TotalMilliseconds);
        }

        return result with { Succeeded = succeeded };
    }

    private static async Task<JsonElement> WaitFinishedAsync(HttpClient http, Guid jobId)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var job = await http.GetFromJsonAsync<JsonElement>($"api/admin/jobs/{jobId}");
            var status = job.GetProperty("status").GetString();
            if (status is "succeeded" or "failed" or "cancelled" || DateTime.UtcNow > deadline)
            {
                return job;
            }

            await Task.Delay(50);
        }
    }

    private static async Task<WebApplication> StartReceiverAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/revalidate", () => Results.Ok(new { revalidated = true }));
        await app.StartAsync();
        return app;
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
}
