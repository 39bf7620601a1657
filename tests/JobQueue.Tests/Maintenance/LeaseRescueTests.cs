using System.Diagnostics;
using JobQueue.Maintenance;
using JobQueue.Queue;
using JobQueue.Runner;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Maintenance;

/// <summary>
/// Rescued jobs keep their place (issue 12, item 2): a job whose lease expired goes back to pending at
/// its original run_at, ahead of the jobs that were due after it, and the rescue runs on the
/// maintainer's schedule too, not only inside claims.
/// </summary>
public sealed class LeaseRescueTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task The_maintainer_rescues_an_expired_lease_without_any_claim_and_the_job_keeps_its_run_at()
    {
        await using var h = new RunnerHarness(db, []);
        var dueAt = DateTimeOffset.UtcNow.AddMinutes(-5);
        var victim = await h.Store.EnqueueAsync(new EnqueueRequest("t", RunAt: dueAt, MaxAttempts: 3));
        var claimed = Assert.Single(await h.Store.ClaimAsync(1, TimeSpan.FromMilliseconds(300), "dead-runner"));
        await h.Store.EnqueueManyAsync("t", Enumerable.Repeat("{}", 1000).ToList());
        await Task.Delay(700);

        var round = await h.Get<QueueMaintainer>().RunRoundAsync(CancellationToken.None);

        Assert.Equal((true, 1), (round.Leader, round.Rescued));
        var job = (await h.Jobs.GetAsync(victim))!;
        Assert.Equal((JobStatus.Pending, 1, claimed.RunAt), (job.Status, job.Attempts, job.RunAt));
        Assert.Equal(["lease_expired"], (await h.Jobs.GetAttemptsAsync(victim)).Select(a => a.Outcome));
        // its place: the next claim takes it before the 1,000 jobs that were due after it
        Assert.Equal(victim, await db.ScalarAsync<Guid>("SELECT id FROM job_queue_claim(1)"));
    }

    [Fact]
    public async Task A_job_rescued_within_a_claim_goes_ahead_of_jobs_due_at_the_same_instant()
    {
        await using var h = new RunnerHarness(db, []);
        // one batch: every job has the same run_at; the claim takes them in (run_at, id) order
        await h.Store.EnqueueManyAsync("t", Enumerable.Repeat("{}", 500).ToList());
        var first = Assert.Single(await h.Store.ClaimAsync(1, TimeSpan.FromMilliseconds(300), "dead-runner"));
        await Task.Delay(700);

        // the SQL claim of an old caller rescues it and takes it again at once
        var again = await db.ScalarAsync<Guid>("SELECT id FROM job_queue_claim(1)");

        Assert.Equal(first.Id, again);
        Assert.Equal(2, (await h.Jobs.GetAsync(first.Id))!.Attempts);
    }

    [Fact]
    public async Task A_rescued_job_of_a_limited_type_keeps_its_priority_and_place_under_the_final_claim()
    {
        await using var h = new RunnerHarness(db, []);
        await db.ExecuteAsync("SELECT jobqueue.job_queue_set_task_limits('limited', 1, NULL, NULL, NULL, NULL)");
        var dueAt = DateTimeOffset.UtcNow.AddMinutes(-5);
        var victim = await h.Store.EnqueueAsync(new EnqueueRequest("limited", RunAt: dueAt, Priority: 5));
        var lease = Stopwatch.StartNew();
        Assert.Equal(victim, Assert.Single(await h.Store.ClaimAsync(1, TimeSpan.FromSeconds(2), "dead-runner")).Id);
        await h.Store.EnqueueManyAsync("limited", Enumerable.Repeat("{}", 100).ToList(), priority: 5);
        await h.Store.EnqueueManyAsync("t", Enumerable.Repeat("{}", 100).ToList());
        var first = await h.Store.ClaimAsync(500, TimeSpan.FromMinutes(1), "r1");
        if (lease.Elapsed < TimeSpan.FromSeconds(2))
        {
            // the victim still held its type's only slot: none of its type was taken
            Assert.DoesNotContain(first, j => j.TaskType == "limited");
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5) - lease.Elapsed is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero);

        // a claim (or r1's own, on a slow machine) rescued it keeping its run_at; the limit of one then
        // takes it first of its type: it kept its place ahead of the 100 enqueued after it
        var taken = Assert.Single(first.Concat(await h.Store.ClaimAsync(500, TimeSpan.FromMinutes(1), "r2")), j => j.TaskType == "limited");
        Assert.Equal((victim, 5, dueAt.ToUnixTimeMilliseconds(), 2), (taken.Id, taken.Priority, taken.RunAt.ToUnixTimeMilliseconds(), taken.Attempts));
    }

    [Fact]
    public async Task A_job_abandoned_by_a_killed_runner_runs_again_long_before_a_deep_backlog_is_drained()
    {
        const int backlog = 20_000;
        var handled = 0;
        var victimRerunAfter = -1;
        var block = new DelegateHandler("test_block", (_, _, _) =>
        {
            Interlocked.CompareExchange(ref victimRerunAfter, Volatile.Read(ref handled), -1);
            return Task.FromResult<object?>(null);
        });
        var noop = new DelegateHandler("noop", async (_, _, ct) =>
        {
            Interlocked.Increment(ref handled);
            await Task.Delay(5, ct);
            return null;
        });
        await using var h = new RunnerHarness(db, [block, noop], new Dictionary<string, string?>
        {
            ["Runner:DefaultLimit"] = "5",
            ["Runner:TimeBudgetSeconds"] = "5",
            // 16 at a time: the backlog (5 ms a job) must outlast the dead runner's 3 s lease
            ["Runner:Concurrency"] = "16",
        });
        var victim = await h.Store.EnqueueAsync(new EnqueueRequest("test_block", MaxAttempts: 3));

        using (var worker = TestWorkerProcess.Start([db.AppConnectionString, "3"]))
        {
            Assert.Equal($"STARTED {victim}", await worker.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }

        // the backlog arrives behind the abandoned job, and a runner starts draining it (as the
        // server does: runner loop and maintainer) while the dead runner's lease is still running
        await h.Store.EnqueueManyAsync("noop", Enumerable.Repeat("{}", backlog / 2).ToList());
        await h.Store.EnqueueManyAsync("noop", Enumerable.Repeat("{}", backlog / 2).ToList());
        using var stop = new CancellationTokenSource();
        var loop = h.Get<RunnerLoop>().RunAsync(TimeSpan.FromMilliseconds(200), stop.Token);
        var maintainer = h.Get<QueueMaintainer>().RunAsync(stop.Token);
        try
        {
            var waited = Stopwatch.StartNew();
            while (Volatile.Read(ref victimRerunAfter) < 0)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(3), $"the abandoned job did not run again ({Volatile.Read(ref handled)} backlog jobs done)");
                await Task.Delay(50);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(loop, maintainer).WaitAsync(TimeSpan.FromSeconds(60));
        }

        // it ran again while most of the backlog was still waiting (it used to go behind all of it)
        Assert.True(victimRerunAfter < backlog / 2, $"the rescued job ran after {victimRerunAfter} of {backlog} backlog jobs");
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE task_type = 'noop' AND status = 'pending'") > backlog / 2);
        var job = (await h.Jobs.GetAsync(victim))!;
        Assert.Equal((JobStatus.Succeeded, 2), (job.Status, job.Attempts));
        Assert.Equal(["lease_expired", "succeeded"], (await h.Jobs.GetAttemptsAsync(victim)).Select(a => a.Outcome));
    }
}
