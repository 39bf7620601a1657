using JobQueue.Queue;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Runner;

/// <summary>
/// A job whose task type this instance does not know (enqueued by a newer version during a rolling
/// deploy) waits, without using up attempts, for an instance that knows it; only after the grace
/// period does it fail for good.
/// </summary>
public sealed class UnknownTaskTypeTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task An_unknown_task_type_is_snoozed_without_using_an_attempt_and_runs_once_an_instance_knows_it()
    {
        await using (var old = new RunnerHarness(db, [], new Dictionary<string, string?> { ["Runner:UnknownTaskTypeRetrySeconds"] = "60" }))
        {
            var id = await old.Store.EnqueueAsync(new EnqueueRequest("added_in_v2", MaxAttempts: 1));

            var first = await old.PassAsync();
            var second = await old.PassAsync();

            var row = Assert.Single(first.Results);
            Assert.Equal("pending", row.Status);
            Assert.Contains("no handler for task type 'added_in_v2'", row.LastError);
            Assert.Equal(0, second.Processed);
            var job = (await old.Jobs.GetAsync(id))!;
            Assert.Equal(("pending", 0), (job.Status, job.Attempts));
            Assert.True(await db.ScalarAsync<bool>(
                "SELECT run_at BETWEEN now() + interval '55 seconds' AND now() + interval '61 seconds' FROM job_queue WHERE id = $1", id));
            var attempt = Assert.Single(await old.Jobs.GetAttemptsAsync(id));
            Assert.Equal(("snoozed", 1), (attempt.Outcome, attempt.Attempt));
        }

        await db.ExecuteAsync("UPDATE job_queue SET run_at = now()");
        await using var v2 = new RunnerHarness(db, [new DelegateHandler("added_in_v2", (_, _, _) => Task.FromResult<object?>(new { ok = true }))]);
        var report = await v2.PassAsync();

        var done = Assert.Single(report.Results);
        Assert.Equal(("succeeded", 1), (done.Status, done.Attempts));
    }

    [Fact]
    public async Task After_the_grace_period_an_unknown_task_type_fails_for_good()
    {
        await using var h = new RunnerHarness(db, [], new Dictionary<string, string?> { ["Runner:UnknownTaskTypeGraceSeconds"] = "3600" });
        var id = await h.Store.EnqueueAsync(new EnqueueRequest("typo_type", MaxAttempts: 5));
        await db.ExecuteAsync("UPDATE job_queue SET created_at = now() - interval '2 hours' WHERE id = $1", id);

        var report = await h.PassAsync();

        var row = Assert.Single(report.Results);
        Assert.Equal("failed", row.Status);
        Assert.Contains("unknown task type 'typo_type'", row.LastError);
        Assert.Equal("failed", (await h.Jobs.GetAsync(id))!.Status);
    }
}
