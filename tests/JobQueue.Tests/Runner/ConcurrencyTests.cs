using System.Collections.Concurrent;
using JobQueue.Queue;
using JobQueue.Tests.Infrastructure;
using Npgsql;

namespace JobQueue.Tests.Runner;

/// <summary>Many runners on one queue; claimers that must skip each other's locked rows; fencing.</summary>
public sealed class ConcurrencyTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task Eight_runners_over_thousands_of_jobs_run_each_job_exactly_once()
    {
        const int jobs = 4_000;
        const int runners = 8;
        var runs = new ConcurrentDictionary<(Guid, int), int>();
        await using var h = new RunnerHarness(db, [new DelegateHandler("work", async (_, ctx, _) =>
        {
            runs.AddOrUpdate((ctx.JobId, ctx.Attempt), 1, (_, n) => n + 1);
            await Task.Yield();
            return null;
        })], new Dictionary<string, string?> { ["Runner:MaxLimit"] = "50", ["Runner:Concurrency"] = "200" }); // eight instances
        await h.Store.EnqueueManyAsync("work", Enumerable.Repeat("{}", jobs).ToList());

        var perRunner = await Task.WhenAll(Enumerable.Range(0, runners).Select(_ => Task.Run(async () =>
        {
            var processed = 0;
            int n;
            do
            {
                n = (await h.PassAsync(limit: 25)).Processed;
                processed += n;
            }
            while (n > 0);
            return processed;
        })));

        Assert.Equal(jobs, perRunner.Sum());
        Assert.True(perRunner.Count(p => p > 0) > 1, "the work was not shared between runners");
        Assert.Equal(jobs, runs.Count);
        Assert.All(runs, r => Assert.Equal(1, r.Value));
        Assert.All(runs.Keys, k => Assert.Equal(1, k.Item2));
        Assert.Equal((long)jobs, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE status = 'succeeded' AND attempts = 1"));
        Assert.Equal((long)jobs, await db.ScalarAsync<long>("SELECT count(DISTINCT job_id) FROM job_queue_attempts WHERE outcome = 'succeeded'"));
        Assert.Equal((long)jobs, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue_attempts"));
    }

    [Fact]
    public async Task A_claimer_skips_rows_another_claimer_holds_instead_of_waiting()
    {
        await using var h = new RunnerHarness(db, []);
        var a = await h.Store.EnqueueAsync(new EnqueueRequest("t", RunAt: DateTimeOffset.UtcNow.AddSeconds(-2)));
        var b = await h.Store.EnqueueAsync(new EnqueueRequest("t", RunAt: DateTimeOffset.UtcNow.AddSeconds(-1)));

        await using var holder = await db.DataSource.OpenConnectionAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var first = new NpgsqlCommand("SELECT id FROM jobqueue.job_queue_claim(1, interval '1 minute', 'holder')", holder, tx))
        {
            Assert.Equal(a, (Guid)(await first.ExecuteScalarAsync())!);
        }

        await using var other = await db.DataSource.OpenConnectionAsync();
        await using (var timeout = new NpgsqlCommand("SET statement_timeout = '3s'", other))
        {
            await timeout.ExecuteNonQueryAsync();
        }

        await using var second = new NpgsqlCommand("SELECT id FROM jobqueue.job_queue_claim(5, interval '1 minute', 'other')", other);
        var got = new List<Guid>();
        await using (var reader = await second.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                got.Add(reader.GetGuid(0));
            }
        }

        Assert.Equal([b], got);
        await tx.RollbackAsync();
    }

    [Fact]
    public async Task A_late_runner_whose_lease_was_taken_over_cannot_finish_the_attempt()
    {
        await using var h = new RunnerHarness(db, []);
        var id = await h.Store.EnqueueAsync(new EnqueueRequest("t", MaxAttempts: 3));
        Assert.Single(await h.Store.ClaimAsync(1, TimeSpan.FromMilliseconds(300), "late-runner"));
        await Task.Delay(600);

        var takenOver = Assert.Single(await h.Store.ClaimAsync(1, TimeSpan.FromMinutes(1), "new-runner"));
        Assert.Equal(id, takenOver.Id);
        Assert.Equal(2, takenOver.Attempts);

        var late = await h.Store.CompleteAsync("late-runner", [new JobCompletion(id, true, "{\"by\":\"late\"}", null, null, 5)]);
        Assert.Empty(late);
        Assert.False(await db.ScalarAsync<bool>("SELECT job_queue_mark_succeeded($1, '{\"by\":\"late\"}'::jsonb, 'late-runner')", id));
        Assert.False(await db.ScalarAsync<bool>("SELECT job_queue_mark_failed($1, 'late failure', NULL, 'late-runner')", id));
        var job = (await h.Jobs.GetAsync(id))!;
        Assert.Equal(("processing", "new-runner"), (job.Status, job.LockedBy));
        Assert.Null(job.Output);

        var done = Assert.Single(await h.Store.CompleteAsync("new-runner", [new JobCompletion(id, true, "{\"by\":\"new\"}", null, null, 5)]));
        Assert.Equal("succeeded", done.Status);
        Assert.Equal(["lease_expired", "succeeded"], (await h.Jobs.GetAttemptsAsync(id)).Select(a => a.Outcome));
        Assert.Equal("new", (await h.Jobs.GetAsync(id))!.Output!.Value.GetProperty("by").GetString());
    }

    [Fact]
    public async Task An_expired_lease_on_the_last_attempt_fails_the_job()
    {
        await using var h = new RunnerHarness(db, []);
        var id = await h.Store.EnqueueAsync(new EnqueueRequest("t", MaxAttempts: 1));
        Assert.Single(await h.Store.ClaimAsync(1, TimeSpan.FromMilliseconds(200), "dead-runner"));
        await Task.Delay(400);

        Assert.Empty(await h.Store.ClaimAsync(1, TimeSpan.FromMinutes(1), "next"));

        var job = (await h.Jobs.GetAsync(id))!;
        Assert.Equal("failed", job.Status);
        Assert.Contains("lease expired", job.LastError);
        Assert.Equal("lease_expired", Assert.Single(await h.Jobs.GetAttemptsAsync(id)).Outcome);
    }
}
