using JobQueue.Maintenance;
using JobQueue.Queue;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobQueue.Tests.Maintenance;

/// <summary>
/// Jobs that run out of attempts through lease expiry (issue 11, item 6): whether a claim or the
/// maintainer rescued them, they produce the runner's own "failed for good" event (EventId 1003,
/// Error, category JobQueue.Runner.JobRunner, same structured fields) and jobqueue.jobs.failed.
/// </summary>
public sealed class FinalFailureTests : IAsyncLifetime, IDisposable
{
    private readonly CapturingLoggerProvider logs = new();
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    public void Dispose() => logs.Dispose();

    private ServiceProvider Services() => db.BuildServices(s => s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));

    private static async Task<Guid> AbandonedLastAttemptAsync(JobQueueStore store, string taskType)
    {
        var id = await store.EnqueueAsync(new EnqueueRequest(taskType, MaxAttempts: 1));
        Assert.Equal(id, Assert.Single(await store.ClaimAsync(1, TimeSpan.FromMilliseconds(200), "dead-runner:1")).Id);
        await Task.Delay(500);
        return id;
    }

    private List<string> FailedForGood(Guid id) =>
        logs.Lines.Where(l => l.Contains("[1003]", StringComparison.Ordinal) && l.Contains($"JobId={id}", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task A_last_attempt_rescued_by_a_claim_is_logged_and_counted_as_failed_for_good_by_the_maintainer()
    {
        await using var services = Services();
        using var meters = new MeterCapture(services);
        var store = services.GetRequiredService<JobQueueStore>();
        var id = await AbandonedLastAttemptAsync(store, "lease_victim");

        // a claim (any runner's) rescues it: failed inside SQL, and recorded for the report
        Assert.Empty(await store.ClaimAsync(1, TimeSpan.FromMinutes(1), "next-runner"));
        Assert.Equal("failed", (await services.GetRequiredService<JobReadStore>().GetAsync(id))!.Status);
        Assert.Empty(FailedForGood(id));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue_final_failures WHERE job_id = $1", id));

        var round = await services.GetRequiredService<QueueMaintainer>().RunRoundAsync(CancellationToken.None);

        Assert.Equal((true, 0, 1), (round.Leader, round.Rescued, round.Reported));
        var line = Assert.Single(FailedForGood(id));
        Assert.StartsWith("Error JobQueue.Runner.JobRunner [1003]", line);
        foreach (var field in new[] { "TaskType=lease_victim", "Attempt=1", "MaxAttempts=1", "Outcome=failed", "DurationMs=", "Error=lease expired: runner dead-runner:1" })
        {
            Assert.Contains(" " + field, line);
        }

        Assert.Equal(1, meters.Get("jobqueue.jobs.failed/lease_victim"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue_final_failures"));

        // reported once: the next round has nothing left
        Assert.Equal(0, (await services.GetRequiredService<QueueMaintainer>().RunRoundAsync(CancellationToken.None)).Reported);
        Assert.Single(FailedForGood(id));
    }

    [Fact]
    public async Task A_last_attempt_rescued_by_the_maintainer_alone_is_logged_and_counted_as_failed_for_good()
    {
        await using var services = Services();
        using var meters = new MeterCapture(services);
        var store = services.GetRequiredService<JobQueueStore>();
        var id = await AbandonedLastAttemptAsync(store, "lease_victim");

        var round = await services.GetRequiredService<QueueMaintainer>().RunRoundAsync(CancellationToken.None);

        Assert.Equal((true, 1, 1), (round.Leader, round.Rescued, round.Reported));
        var job = (await services.GetRequiredService<JobReadStore>().GetAsync(id))!;
        Assert.Equal(("failed", 1), (job.Status, job.Attempts));
        Assert.StartsWith("Error JobQueue.Runner.JobRunner [1003]", Assert.Single(FailedForGood(id)));
        Assert.Equal(1, meters.Get("jobqueue.jobs.failed/lease_victim"));
        Assert.Equal(["lease_expired"], (await services.GetRequiredService<JobReadStore>().GetAttemptsAsync(id)).Select(a => a.Outcome));
    }

    [Fact]
    public async Task A_report_that_fails_before_its_commit_leaves_the_failure_for_the_next_round()
    {
        await using var services = Services();
        var store = services.GetRequiredService<JobQueueStore>();
        var id = await AbandonedLastAttemptAsync(store, "lease_victim");
        Assert.Equal(1, await services.GetRequiredService<LeaseRescuer>().RescueAsync(CancellationToken.None));

        var maintenance = services.GetRequiredService<MaintenanceStore>();
        await Assert.ThrowsAsync<InvalidOperationException>(() => maintenance.TakeFinalFailuresAsync(
            100, _ => throw new InvalidOperationException("the reporter died"), CancellationToken.None));

        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue_final_failures WHERE job_id = $1", id));
        Assert.Equal(1, await services.GetRequiredService<FinalFailureReporter>().ReportAsync(CancellationToken.None));
        Assert.Single(FailedForGood(id));
    }
}
