using System.Text.Json;
using JobQueue.Maintenance;
using JobQueue.Queue;
using JobQueue.Tests.Infrastructure;
using Npgsql;

namespace JobQueue.Tests.Runner;

/// <summary>
/// The held flag (the column jobqueue.job_queue.held and its two due indexes, in the baseline,
/// Database/Schema/versioned/0002_queue_baseline.sql): a job of a task type with limits or a pause is
/// out of the due index
/// the claim walks, so that a held backlog costs the claim nothing; the flag follows the limits row,
/// every enqueue path sets it (under the type's lock: <see cref="HeldFlagRaceTests"/>), and a stale flag
/// left by a write that bypasses the functions is repaired by the upkeep leader (true on a free type:
/// never claimed until then; false on a limited type: never claimed, so never beyond the limit).
/// </summary>
public sealed class HeldFlagTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    private Task<long> HeldAsync(string taskType, bool held) => db.ScalarAsync<long>(
        "SELECT count(*) FROM job_queue WHERE task_type = $1 AND status IN ('pending', 'processing') AND held = $2", taskType, held);

    private static async Task<List<Job>> ClaimAllAsync(JobQueueStore store, int limit = 50) =>
        [.. await store.ClaimAsync(limit, TimeSpan.FromMinutes(5), "r")];

    [Fact]
    public async Task The_flag_follows_a_limits_row_appearing_and_going_and_released_jobs_are_claimed_by_the_main_walk()
    {
        await using var h = new RunnerHarness(db, []);
        var limits = h.Get<TaskLimitStore>();
        await h.Store.EnqueueManyAsync("lim", Enumerable.Repeat("{}", 3).ToList());
        await h.Store.EnqueueManyAsync("pau", Enumerable.Repeat("{}", 2).ToList());
        Assert.Equal(0L, await HeldAsync("lim", true) + await HeldAsync("pau", true));

        await limits.SetAsync("lim", new TaskLimitSettings(MaxConcurrency: 1), TaskLimitStore.FromApi, "test");
        await limits.PauseAsync("pau", DateTimeOffset.UtcNow.AddHours(1), "test", TaskLimitStore.FromApi, "test");
        Assert.Equal((3L, 2L), (await HeldAsync("lim", true), await HeldAsync("pau", true)));
        Assert.Equal(["lim"], (await ClaimAllAsync(h.Store)).Select(j => j.TaskType)); // within the limit; the paused type waits

        await limits.SetAsync("lim", new TaskLimitSettings(), TaskLimitStore.FromApi, "test"); // no limit left: the row goes
        await limits.PauseAsync("pau", null, null, TaskLimitStore.FromApi, "test");
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue_task_limits WHERE task_type IN ('lim', 'pau')"));
        Assert.Equal((3L, 2L), (await HeldAsync("lim", false), await HeldAsync("pau", false))); // the processing one too

        // no limits row: the claim runs only its main walk, which now finds them all
        var claimed = await ClaimAllAsync(h.Store);
        Assert.Equal(4, claimed.Count);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE status = 'pending'"));
    }

    [Fact]
    public async Task Jobs_of_a_limited_type_from_every_enqueue_path_are_held_and_claimed_only_within_the_limit()
    {
        await using var h = new RunnerHarness(db, []);
        // made before the limit (flag false), failed: the single and the bulk retry must set the flag
        var failed = await h.Store.EnqueueManyAsync("lim", Enumerable.Repeat("""{"old":true}""", 2).ToList(), maxAttempts: 1);
        Assert.Equal(2, failed);
        var old = await ClaimAllAsync(h.Store);
        await h.Store.CompleteAsync("r", old.Select(j => new JobCompletion(j.Id, false, null, "boom", null, 1)).ToList());
        var parent = await h.Store.EnqueueAsync(new EnqueueRequest(
            "parent", JsonDocument.Parse("""{"then":{"taskType":"lim"}}""").RootElement.Clone()));
        var parentJob = Assert.Single(await ClaimAllAsync(h.Store));
        Assert.Equal(parent, parentJob.Id);

        await h.Get<TaskLimitStore>().SetAsync("lim", new TaskLimitSettings(MaxConcurrency: 2), TaskLimitStore.FromApi, "test");
        await h.Store.EnqueueAsync(new EnqueueRequest("lim"));
        await h.Store.EnqueueManyAsync("lim", Enumerable.Repeat("{}", 3).ToList());
        await h.Store.EnqueueOrJoinAsync(new EnqueueRequest("lim"), "join-1");
        await h.Store.CompleteAsync("r", [new JobCompletion(parent, true, null, null, null, 1, FollowUp: true)]);
        await db.ScalarAsync<Guid>("SELECT job_queue_enqueue('lim')"); // SQL callers (pg_cron commands)
        Assert.Equal(JobActionOutcome.Ok, (await h.Actions.RetryAsync(old[0].Id, "test")).Outcome);
        Assert.Equal(1, (await h.Get<JobBulkStore>().RetryAsync(new JobFilter(TaskType: "lim"), false, "test")).Changed);

        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE triggered_by = 'follow-up:' || $1::text", parent.ToString()));
        Assert.Equal((9L, 0L), (await HeldAsync("lim", true), await HeldAsync("lim", false)));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE task_type = 'parent' AND held"));

        Assert.Equal(2, (await ClaimAllAsync(h.Store)).Count(j => j.TaskType == "lim"));
        Assert.Empty(await ClaimAllAsync(h.Store));
    }

    [Fact]
    public async Task A_stale_held_flag_on_a_type_without_limits_is_repaired_by_the_upkeep_leader_and_the_job_runs()
    {
        await using var h = new RunnerHarness(db, []);
        var id = await h.Store.EnqueueAsync(new EnqueueRequest("free"));
        await h.Store.EnqueueManyAsync("other", Enumerable.Repeat("{}", 5).ToList());
        await h.Store.EnqueueManyAsync("other", Enumerable.Repeat("{}", 2).ToList(), runAt: DateTimeOffset.UtcNow.AddHours(1));
        // what a write that bypasses the enqueue functions (an operator's UPDATE) leaves behind
        await db.ExecuteAsync("UPDATE job_queue SET held = true WHERE id = $1", id);
        await db.ExecuteAsync("UPDATE job_queue SET status = 'processing', locked_by = 'x', held = true WHERE task_type = 'other' AND run_at > now()");
        Assert.DoesNotContain(await h.Store.ClaimAsync(1, TimeSpan.FromMinutes(5), "r"), j => j.Id == id);
        Assert.DoesNotContain(await ClaimAllAsync(h.Store), j => j.Id == id); // never claimed while flagged

        var round = await h.Get<QueueMaintainer>().RunRoundAsync(CancellationToken.None);
        Assert.Equal(3, round.HeldRepaired); // the pending one, and the two processing ones (a retry would bring them back held)
        Assert.Equal(0, await h.Get<HeldFlagRepairer>().RepairAsync(CancellationToken.None));

        Assert.Equal(id, Assert.Single(await ClaimAllAsync(h.Store)).Id);
    }

    [Fact]
    public async Task A_stale_false_flag_on_a_limited_type_is_never_claimed_until_the_repair_flags_it_and_then_within_the_limit()
    {
        await using var h = new RunnerHarness(db, []);
        var limits = h.Get<TaskLimitStore>();
        await limits.SetAsync("lim", new TaskLimitSettings(MaxConcurrency: 1), TaskLimitStore.FromApi, "test");
        await limits.SetAsync("part", new TaskLimitSettings(PartitionBy: "k", MaxConcurrencyPerPartition: 1), TaskLimitStore.FromApi, "test");
        await h.Store.EnqueueManyAsync("lim", Enumerable.Repeat("{}", 3).ToList());
        await h.Store.EnqueueManyAsync("part", ["""{"k":"a"}""", """{"k":"a"}""", """{"k":"b"}""", """{"k":"b"}"""]);
        await h.Store.EnqueueManyAsync("free", Enumerable.Repeat("{}", 2).ToList());
        // what a write that bypasses the enqueue functions (an operator's UPDATE) leaves behind
        await db.ExecuteAsync("UPDATE job_queue SET held = false WHERE task_type IN ('lim', 'part')");

        // the walk leaves the limited types out and the limited loop reads only their held range
        Assert.Equal(["free", "free"], (await ClaimAllAsync(h.Store)).Select(j => j.TaskType));
        Assert.Empty(await ClaimAllAsync(h.Store));

        // the repair finds them at the head of the due index and flags the types' pending jobs
        Assert.Equal(7, await h.Get<HeldFlagRepairer>().RepairAsync(CancellationToken.None));
        Assert.Equal((3L, 4L), (await HeldAsync("lim", true), await HeldAsync("part", true)));
        Assert.Equal(0, await h.Get<HeldFlagRepairer>().RepairAsync(CancellationToken.None));

        var claimed = await ClaimAllAsync(h.Store);
        Assert.Single(claimed, j => j.TaskType == "lim");
        Assert.Equal(["a", "b"], claimed.Where(j => j.TaskType == "part").Select(j => j.Payload.GetProperty("k").GetString()).Order());
        Assert.Empty(await ClaimAllAsync(h.Store));
    }

    [Fact]
    public async Task A_claim_behind_a_paused_backlog_of_20000_jobs_reads_a_few_buffers()
    {
        await using var h = new RunnerHarness(db, []);
        await h.Get<TaskLimitStore>().PauseAsync("paused", DateTimeOffset.UtcNow.AddHours(1), "test", TaskLimitStore.FromApi, "test");
        var pad = new string('x', 500);
        await db.ExecuteAsync(
            "SELECT job_queue_enqueue_many('paused', array_fill(jsonb_build_object('pad', $1::text), ARRAY[20000]), now() - interval '1 hour')", pad);
        await db.ExecuteAsync("SELECT job_queue_enqueue('warm', '{}', now() - interval '1 minute')");
        var free = await db.ScalarAsync<Guid>("SELECT job_queue_enqueue('free', '{}', now() - interval '1 minute')");
        await db.ExecuteAsync("ANALYZE job_queue");

        await using var connection = await db.OwnerDataSource.OpenConnectionAsync();
        // the first claim of a session plans its statements (catalog reads): the one measured is the second
        await using (var warm = new NpgsqlCommand("SELECT count(*) FROM jobqueue.job_queue_claim(1, interval '5 minutes', 'r')", connection))
        {
            Assert.Equal(1L, (long)(await warm.ExecuteScalarAsync())!);
        }

        await using var explain = new NpgsqlCommand(
            "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT * FROM jobqueue.job_queue_claim(500, interval '5 minutes', 'r')", connection);
        var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!).RootElement[0].GetProperty("Plan");
        var buffers = plan.GetProperty("Shared Hit Blocks").GetInt64() + plan.GetProperty("Shared Read Blocks").GetInt64();

        Assert.Equal(1L, plan.GetProperty("Actual Rows").GetInt64());
        Assert.Equal("processing", (await h.Jobs.GetAsync(free))!.Status);
        // a claim walking one due index for every type would read the 20,000 paused jobs (20,000 index
        // entries and their heap rows, or a scan of the table's ~1,700 pages); this one reads a few index
        // pages and the rows it takes
        Assert.True(buffers < 200, $"the claim read {buffers} buffers");
    }
}
