using System.Collections.Concurrent;
using System.Diagnostics;
using JobQueue.Queue;
using JobQueue.Runner;
using JobQueue.Tests.Infrastructure;
using Npgsql;

namespace JobQueue.Tests.Runner;

/// <summary>
/// The long-running runner loop (the server's) and the queue's wake-ups for idle runners
/// (jobqueue.job_queue_wake_idle_runners, Database/Schema/functions/runner/job_queue_wake_idle_runners.sql):
/// a drained loop is woken by new jobs long before its poll interval, and the
/// queue notifies only while some runner is waiting.
/// </summary>
public sealed class RunnerLoopTests : IAsyncLifetime
{
    private static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(60);

    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    private sealed class Loop : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();

        public Loop(RunnerHarness h, TimeSpan poll) => Running = h.Get<RunnerLoop>().RunAsync(poll, stop.Token);

        public Task Running { get; }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await Running.WaitAsync(TimeSpan.FromSeconds(30));
            stop.Dispose();
        }
    }

    private Task<bool> ArmedAsync() => db.ScalarAsync<bool>("SELECT COALESCE(idle_until > now(), false) FROM job_queue_wakeup");

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what, double seconds = 20)
    {
        var sw = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(seconds), "timed out waiting until " + what);
            await Task.Delay(20);
        }
    }

    private static DelegateHandler Recording(ConcurrentDictionary<Guid, TimeSpan> started, Stopwatch clock, int delayMs = 0) =>
        new("probe", async (_, ctx, ct) =>
        {
            started[ctx.Job.Id] = clock.Elapsed;
            await Task.Delay(delayMs, ct);
            return null;
        });

    [Fact]
    public async Task A_drained_loop_is_woken_by_new_jobs_long_before_its_poll_interval()
    {
        var clock = Stopwatch.StartNew();
        var started = new ConcurrentDictionary<Guid, TimeSpan>();
        await using var h = new RunnerHarness(db, [Recording(started, clock)]);
        await using (new Loop(h, LongPoll))
        {
            await EventuallyAsync(ArmedAsync, "the drained loop asks for wake-ups");
            await Task.Delay(300); // it is waiting now, a minute from its next poll

            for (var i = 0; i < 3; i++)
            {
                var enqueuedAt = clock.Elapsed;
                var id = await h.Store.EnqueueAsync(new EnqueueRequest("probe"));
                await EventuallyAsync(() => Task.FromResult(started.ContainsKey(id)), $"job {i} starts", 10);
                Assert.True(started[id] - enqueuedAt < TimeSpan.FromSeconds(10));
                await EventuallyAsync(async () => (await h.Jobs.GetAsync(id))!.Status == JobStatus.Succeeded, $"job {i} succeeds", 10);
                await Task.Delay(100);
            }
        }

        Assert.False(await ArmedAsync()); // a stopped loop withdraws its request
    }

    [Fact]
    public async Task A_busy_loop_withdraws_its_wake_up_request_and_asks_again_once_drained()
    {
        var clock = Stopwatch.StartNew();
        var started = new ConcurrentDictionary<Guid, TimeSpan>();
        await using var h = new RunnerHarness(db, [Recording(started, clock, delayMs: 100)], new Dictionary<string, string?>
        {
            ["Runner:DefaultLimit"] = "2",
            ["Runner:Concurrency"] = "2", // 20 jobs keep its 2 slots full: the loop is busy, not drained
        });
        await using (new Loop(h, LongPoll))
        {
            await EventuallyAsync(ArmedAsync, "the drained loop asks for wake-ups");
            await h.Store.EnqueueManyAsync("probe", Enumerable.Repeat("{}", 20).ToList());

            // full passes of 2 jobs x 100 ms: about a second of work, during which nobody needs waking
            await EventuallyAsync(async () => !await ArmedAsync(), "the busy loop withdraws its request", 10);
            await EventuallyAsync(() => Task.FromResult(started.Count == 20), "all 20 jobs start", 30);
            await EventuallyAsync(ArmedAsync, "the drained loop asks again");
        }
    }

    [Fact]
    public async Task A_loop_that_lost_its_listening_connection_polls_then_listens_again()
    {
        var clock = Stopwatch.StartNew();
        var started = new ConcurrentDictionary<Guid, TimeSpan>();
        await using var h = new RunnerHarness(db, [Recording(started, clock)]);
        await using (new Loop(h, TimeSpan.FromSeconds(1)))
        {
            await EventuallyAsync(ArmedAsync, "the drained loop asks for wake-ups");
            // as the app's login: its sessions' queries are visible to it, not to the owner
            var killed = await db.AppScalarAsync<long>(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN job_queue'");
            Assert.Equal(1L, killed);

            var first = await h.Store.EnqueueAsync(new EnqueueRequest("probe"));
            await EventuallyAsync(() => Task.FromResult(started.ContainsKey(first)), "the job starts by polling", 10);
            await EventuallyAsync(async () => await db.AppScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN job_queue'") == 1,
                "the loop listens again", 10);
        }
    }

    [Fact]
    public async Task The_queue_notifies_only_while_a_runner_waits()
    {
        await using var listen = await db.DataSource.OpenConnectionAsync();
        await using (var cmd = new NpgsqlCommand("LISTEN " + JobWakeListener.Channel, listen))
        {
            await cmd.ExecuteNonQueryAsync();
        }

        var notified = 0;
        listen.Notification += (_, _) => Interlocked.Increment(ref notified);
        await using var h = new RunnerHarness(db, []);
        async Task<int> NotificationsAfterAsync(Func<Task> act)
        {
            await listen.WaitAsync(TimeSpan.FromMilliseconds(50)); // drain anything earlier
            var before = Volatile.Read(ref notified);
            await act();
            await listen.WaitAsync(TimeSpan.FromMilliseconds(500));
            return Volatile.Read(ref notified) - before;
        }

        // nobody waiting: no notification for an enqueue
        Assert.Equal(0, await NotificationsAfterAsync(() => h.Store.EnqueueAsync(new EnqueueRequest("t"))));

        // a runner waiting: one per enqueue call, however many jobs it holds
        await h.Store.SetRunnerIdleAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await NotificationsAfterAsync(() => h.Store.EnqueueAsync(new EnqueueRequest("t"))));
        Assert.Equal(1, await NotificationsAfterAsync(() => h.Store.EnqueueManyAsync("t", Enumerable.Repeat("{}", 500).ToList())));

        // a failed job retried by an operator, or run now, is new work too
        var failed = await h.Store.EnqueueAsync(new EnqueueRequest("t", MaxAttempts: 1));
        await db.ExecuteAsync("UPDATE job_queue SET status = 'failed', completed_at = now() WHERE id = $1", failed);
        Assert.Equal(1, await NotificationsAfterAsync(() => h.Actions.RetryAsync(failed, "op")));
        var later = await h.Store.EnqueueAsync(new EnqueueRequest("t", RunAt: DateTimeOffset.UtcNow.AddHours(1)));
        Assert.Equal(1, await NotificationsAfterAsync(() => h.Actions.RunNowAsync(later)));

        // the hot path is not: claims, successes, failures with a backoff in the future
        await db.ExecuteAsync("UPDATE job_queue SET run_at = now() - interval '1 second' WHERE status = 'pending'");
        var claimed = (await h.Store.ClaimAsync(3, TimeSpan.FromMinutes(5), "r")).Select(j => j.Id).ToList();
        Assert.Equal(3, claimed.Count);
        Assert.Equal(0, await NotificationsAfterAsync(() => h.Store.ClaimAsync(2, TimeSpan.FromMinutes(5), "r")));
        Assert.Equal(0, await NotificationsAfterAsync(() => h.Store.CompleteAsync("r",
        [
            new JobCompletion(claimed[0], true, null, null, null, 1),
            new JobCompletion(claimed[1], false, null, "boom", TimeSpan.FromMinutes(5), 1),
        ])));

        // the runner busy again, or gone (its request lapsed): no notifications
        await h.Store.SetRunnerIdleAsync(null);
        Assert.Equal(0, await NotificationsAfterAsync(() => h.Store.EnqueueAsync(new EnqueueRequest("t"))));
        await db.ExecuteAsync("UPDATE job_queue_wakeup SET idle_until = now() - interval '1 second'");
        Assert.Equal(0, await NotificationsAfterAsync(() => h.Store.EnqueueAsync(new EnqueueRequest("t"))));
    }
}
