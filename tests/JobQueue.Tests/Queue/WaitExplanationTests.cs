using JobQueue.Queue;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>
/// "Why is this job not running?" (jobqueue.job_queue_explain_wait, read through JobReadStore): each
/// reason from the live state, in the order the function checks them, and no answer for a job that is
/// not pending.
/// </summary>
public sealed class WaitExplanationTests : IAsyncLifetime
{
    private TestDatabase db = null!;
    private JobReadStore reads = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        reads = new JobReadStore(db.DataSource);
    }

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task Not_due_and_backoff()
    {
        var later = await EnqueueAsync("w", "run_at => now() + interval '1 hour'");
        var wait = await WaitAsync(later);
        Assert.Equal("not_due", wait.Reason);
        Assert.StartsWith("not due until ", wait.Message, StringComparison.Ordinal);
        Assert.NotNull(wait.At);

        var retried = await EnqueueAsync("w");
        await db.ExecuteAsync("UPDATE job_queue SET attempts = 2, last_error = 'HTTP 503', run_at = now() + interval '30 seconds' WHERE id = $1", retried);
        wait = await WaitAsync(retried);
        Assert.Equal("backoff", wait.Reason);
        Assert.StartsWith("backoff after attempt 2 of 3: due at ", wait.Message, StringComparison.Ordinal);
        Assert.Equal(2L, wait.Count);
    }

    [Fact]
    public async Task Processing_paused_and_task_type_paused()
    {
        var id = await EnqueueAsync("w");
        await db.ExecuteAsync("SELECT count(*) FROM job_queue_set_settings(false, 'maintenance window', 'ops')");
        var wait = await WaitAsync(id);
        Assert.Equal("processing_paused", wait.Reason);
        Assert.Contains("processing is paused (maintenance window) since ", wait.Message, StringComparison.Ordinal);

        await db.ExecuteAsync("SELECT count(*) FROM job_queue_set_settings(true)");
        await db.ExecuteAsync("SELECT count(*) FROM job_queue_pause_task_type('w', now() + interval '1 hour', 'provider 429')");
        wait = await WaitAsync(id);
        Assert.Equal("task_type_paused", wait.Reason);
        Assert.Matches(@"^task type w is paused until \S+ \(provider 429\)$", wait.Message);
    }

    [Fact]
    public async Task Stale_held_flag()
    {
        var id = await EnqueueAsync("w");
        await db.ExecuteAsync("UPDATE job_queue SET held = true WHERE id = $1", id);
        Assert.Equal("held_flag_stale", (await WaitAsync(id)).Reason);
    }

    [Fact]
    public async Task Concurrency_partition_and_rate_limits()
    {
        await db.ExecuteAsync("SELECT count(*) FROM job_queue_set_task_limits('c', 1, NULL, NULL, NULL, NULL)");
        await EnqueueAsync("c");
        var waiting = await EnqueueAsync("c");
        await ClaimAsync(1);
        var wait = await WaitAsync(waiting);
        Assert.Equal("concurrency_limit", wait.Reason);
        Assert.Equal("concurrency limit 1 of c reached (1 running)", wait.Message);

        await db.ExecuteAsync("SELECT count(*) FROM job_queue_set_task_limits('p', NULL, 'coachId', 1, NULL, NULL)");
        await EnqueueAsync("p", "payload => '{\"coachId\":\"c-7\"}'");
        var samePartition = await EnqueueAsync("p", "payload => '{\"coachId\":\"c-7\"}'");
        await ClaimAsync(1);
        wait = await WaitAsync(samePartition);
        Assert.Equal("partition_limit", wait.Reason);
        Assert.Equal("concurrency limit 1 of p partition 'c-7' reached (1 running)", wait.Message);

        await db.ExecuteAsync("SELECT count(*) FROM job_queue_set_task_limits('r', NULL, NULL, NULL, 2, 60000)");
        await EnqueueAsync("r");
        await EnqueueAsync("r");
        var limited = await EnqueueAsync("r");
        await ClaimAsync(10);
        wait = await WaitAsync(limited);
        Assert.Equal("rate_limit", wait.Reason);
        Assert.Matches(@"^rate limit 2 per 60 s of r reached until \S+$", wait.Message);
        Assert.True(wait.At > DateTimeOffset.UtcNow.AddSeconds(30));
    }

    [Fact]
    public async Task Lower_priority_queued_behind_next_in_line_and_no_runner()
    {
        var low = await EnqueueAsync("w", "priority => -5");
        var first = await EnqueueAsync("w");
        var second = await EnqueueAsync("w");
        await EnqueueAsync("w", "priority => 3");

        var wait = await WaitAsync(low);
        Assert.Equal("lower_priority", wait.Reason);
        Assert.Equal("lower priority (-5) than 3 due jobs", wait.Message);
        Assert.Equal("lower_priority", (await WaitAsync(first)).Reason);

        await ClaimAsync(1); // the one of priority 3
        wait = await WaitAsync(second);
        Assert.Equal("queued_behind", wait.Reason);
        Assert.Equal("behind 1 due jobs of the same priority", wait.Message);
        wait = await WaitAsync(first);
        Assert.Equal("next_in_line", wait.Reason);

        // no start for longer than stale_after: no runner
        await db.ExecuteAsync("UPDATE job_queue SET started_at = now() - interval '10 minutes' WHERE status = 'processing'");
        wait = await WaitAsync(first);
        Assert.Equal("no_runner", wait.Reason);
        Assert.Matches(@"^due and first in line, but no runner has claimed a job in the last 6\d\d s \(last start \S+\)$", wait.Message);
    }

    [Fact]
    public async Task A_job_that_is_not_pending_has_no_wait_and_the_list_call_answers_for_several()
    {
        var running = await EnqueueAsync("w");
        var pending = await EnqueueAsync("w", "run_at => now() + interval '1 hour'");
        await ClaimAsync(1);

        var waits = await reads.ExplainWaitAsync([running, pending, Guid.NewGuid()]);
        Assert.Equal([pending], waits.Keys);
        Assert.Equal("not_due", waits[pending].Reason);
    }

    private Task<Guid> EnqueueAsync(string taskType, string arguments = "run_at => now()") =>
        db.ScalarAsync<Guid>($"SELECT job_queue_enqueue('{taskType}', {arguments})");

    private Task ClaimAsync(int limit) => db.ExecuteAsync($"SELECT count(*) FROM job_queue_claim({limit}, interval '5 minutes', 'test')");

    private async Task<JobWait> WaitAsync(Guid id)
    {
        var waits = await reads.ExplainWaitAsync([id]);
        return Assert.Contains(id, waits);
    }
}
