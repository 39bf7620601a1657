using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Api;

/// <summary>One server and database shared by a class of rejection tests, with one seeded job of each kind.</summary>
public sealed class ApiServerFixture : IAsyncLifetime
{
    public TestDatabase Db { get; private set; } = null!;

    public ApiTestServer Api { get; private set; } = null!;

    /// <summary>A pending job (due) that every job route would act on if a request got through.</summary>
    public Guid PendingJob { get; private set; }

    /// <summary>A failed job (retry would act on it).</summary>
    public Guid FailedJob { get; private set; }

    public async Task InitializeAsync()
    {
        Db = await TestDatabase.CreateAsync();
        // the owner connection too, so that every GET route (the cut-over plan reads as the owner) answers 200
        Api = await ApiTestServer.StartAsync(Db, settings: new Dictionary<string, string?> { ["Database:MigrationConnectionString"] = Db.ConnectionString });
        PendingJob = await Db.ScalarAsync<Guid>("SELECT job_queue_enqueue('test_echo', '{}'::jsonb, now() + interval '1 day', 3)");
        FailedJob = await Db.ScalarAsync<Guid>("SELECT job_queue_enqueue('test_echo', '{}'::jsonb, now(), 3)");
        await Db.ExecuteAsync("UPDATE job_queue SET status = 'failed', completed_at = now() WHERE id = $1", FailedJob);
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Db.DisposeAsync();
    }

    /// <summary>
    /// The route's path with <c>{id}</c> filled in with a job the route could act on, the dashboard's
    /// root for <c>{*path}</c>, and a query that a route requires.
    /// </summary>
    public string PathOf(JobQueue.Api.ApiRoute route) =>
        "/api/" + route.Template
            .Replace("{id}", (route.Name == "AdminJobsRetry" ? FailedJob : PendingJob).ToString(), StringComparison.Ordinal)
            .Replace("{*path}", "", StringComparison.Ordinal)
        + (route.Name == "AdminCronJobsDescribe" ? "?schedule=*/5%20*%20*%20*%20*" : "");

    /// <summary>A body the route would accept (so that only the credentials make the difference).</summary>
    public static string? ValidBodyOf(JobQueue.Api.ApiRoute route) => route.Name switch
    {
        "AdminJobsEnqueue" => "{\"taskType\":\"test_echo\"}",
        "AdminSettingsPut" => "{\"processingEnabled\":false,\"pausedReason\":\"x\"}",
        "JobsRun" => "{\"force\":true}",
        "AdminTaskLimitsSet" => "{\"taskType\":\"test_echo\",\"maxConcurrency\":2}",
        "AdminTaskLimitsPause" => "{\"taskType\":\"test_echo\",\"seconds\":60}",
        "AdminTaskLimitsResume" => "{\"taskType\":\"test_echo\"}",
        _ => route.Method == "GET" ? null : "{}",
    };
}
