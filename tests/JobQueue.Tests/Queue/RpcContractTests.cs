using JobQueue.Tests.Infrastructure;
using Npgsql;

namespace JobQueue.Tests.Queue;

/// <summary>The four RPCs existing callers use, called positionally in SQL as they call them.</summary>
public sealed class RpcContractTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task Enqueue_with_the_legacy_positional_signature_inserts_a_pending_job()
    {
        var id = await db.ScalarAsync<Guid>(
            "SELECT job_queue_enqueue('game_platform_sync', '{\"dryRun\":true}'::jsonb, now(), 5)");

        Assert.Equal("pending", await db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", id));
        Assert.Equal(5, await db.ScalarAsync<int>("SELECT max_attempts FROM job_queue WHERE id = $1", id));
        Assert.True(await db.ScalarAsync<bool>("SELECT (payload->>'dryRun')::boolean FROM job_queue WHERE id = $1", id));
    }

    [Fact]
    public async Task Enqueue_with_two_arguments_as_cron_commands_call_it_uses_defaults()
    {
        var id = await db.ScalarAsync<Guid>("SELECT job_queue_enqueue('game_platform_sync', '{}')");

        Assert.Equal(3, await db.ScalarAsync<int>("SELECT max_attempts FROM job_queue WHERE id = $1", id));
        Assert.True(await db.ScalarAsync<bool>("SELECT run_at <= now() FROM job_queue WHERE id = $1", id));
    }

    [Fact]
    public async Task Claim_takes_due_jobs_only_and_sets_a_lease()
    {
        var due = await db.ScalarAsync<Guid>("SELECT job_queue_enqueue('t', '{}', now() - interval '1 second', 3)");
        await db.ScalarAsync<Guid>("SELECT job_queue_enqueue('t', '{}', now() + interval '1 hour', 3)");

        var claimed = await db.ScalarAsync<Guid>("SELECT id FROM job_queue_claim(10)");

        Assert.Equal(due, claimed);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE status = 'processing'"));
        Assert.True(await db.ScalarAsync<bool>(
            "SELECT attempts = 1 AND locked_by IS NOT NULL AND locked_until > now() AND started_at IS NOT NULL FROM job_queue WHERE id = $1", due));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue_claim(10)"));
    }

    [Fact]
    public async Task Mark_succeeded_stores_the_output_and_records_the_attempt()
    {
        var id = await db.ScalarAsync<Guid>("SELECT job_queue_enqueue('t', '{}', now(), 3)");
        await db.ScalarAsync<long>("SELECT count(*) FROM job_queue_claim(1)");

        Assert.True(await db.ScalarAsync<bool>("SELECT job_queue_mark_succeeded($1, '{\"n\":7}'::jsonb)", id));

        Assert.Equal("succeeded", await db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", id));
        Assert.Equal(7, await db.ScalarAsync<int>("SELECT (output->>'n')::int FROM job_queue WHERE id = $1", id));
        Assert.True(await db.ScalarAsync<bool>("SELECT completed_at IS NOT NULL AND locked_by IS NULL FROM job_queue WHERE id = $1", id));
        Assert.Equal("succeeded", await db.ScalarAsync<string>("SELECT outcome FROM job_queue_attempts WHERE job_id = $1", id));
        Assert.False(await db.ScalarAsync<bool>("SELECT job_queue_mark_succeeded($1, '{}'::jsonb)", id));
    }

    [Fact]
    public async Task Mark_failed_with_retry_in_goes_back_to_pending_later_and_without_fails()
    {
        var id = await db.ScalarAsync<Guid>("SELECT job_queue_enqueue('t', '{}', now(), 3)");
        await db.ScalarAsync<long>("SELECT count(*) FROM job_queue_claim(1)");

        Assert.True(await db.ScalarAsync<bool>("SELECT job_queue_mark_failed($1, 'boom', interval '10 minutes')", id));
        Assert.Equal("pending", await db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", id));
        Assert.True(await db.ScalarAsync<bool>(
            "SELECT run_at BETWEEN now() + interval '9 minutes' AND now() + interval '11 minutes' AND last_error = 'boom' FROM job_queue WHERE id = $1", id));

        await db.ExecuteAsync("UPDATE job_queue SET run_at = now() WHERE id = $1", id);
        await db.ScalarAsync<long>("SELECT count(*) FROM job_queue_claim(1)");
        Assert.True(await db.ScalarAsync<bool>("SELECT job_queue_mark_failed($1, 'fatal', NULL)", id));
        Assert.Equal("failed", await db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", id));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue_attempts WHERE job_id = $1", id));
    }

    [Fact]
    public async Task Mark_failed_when_attempts_are_used_up_fails_even_with_retry_in()
    {
        var id = await db.ScalarAsync<Guid>("SELECT job_queue_enqueue('t', '{}', now(), 1)");
        await db.ScalarAsync<long>("SELECT count(*) FROM job_queue_claim(1)");

        await db.ScalarAsync<bool>("SELECT job_queue_mark_failed($1, 'boom', interval '1 second')", id);

        Assert.Equal("failed", await db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", id));
        Assert.Equal("failed", await db.ScalarAsync<string>("SELECT outcome FROM job_queue_attempts WHERE job_id = $1", id));
    }

    [Fact]
    public async Task Enqueue_rejects_bad_arguments_with_invalid_parameter_errors()
    {
        var e = await Assert.ThrowsAsync<PostgresException>(() => db.ScalarAsync<Guid>("SELECT job_queue_enqueue('t', '[1]'::jsonb)"));
        Assert.Equal("22023", e.SqlState);
        e = await Assert.ThrowsAsync<PostgresException>(() => db.ScalarAsync<Guid>("SELECT job_queue_enqueue('t', '{}', now(), 0)"));
        Assert.Equal("22023", e.SqlState);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue"));
    }
}
