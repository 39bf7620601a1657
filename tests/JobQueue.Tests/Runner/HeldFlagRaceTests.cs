using System.Text.Json;
using JobQueue.Queue;
using JobQueue.Tests.Infrastructure;
using Npgsql;

namespace JobQueue.Tests.Runner;

/// <summary>
/// The race between an enqueue and a task type's limits row appearing or going (jobqueue.held_flag_sync,
/// Database/Schema/functions/flow_control/held_flag_sync.sql): the
/// enqueue takes the type's advisory lock shared before it reads the limits, the flip takes it
/// exclusive before it rewrites the type's flags, so whichever runs second sees the other's commit.
/// Each case holds one side's transaction open and runs the other on a second session.
/// </summary>
public sealed class HeldFlagRaceTests : IAsyncLifetime
{
    private const string SetLimit = "SELECT count(*) FROM jobqueue.job_queue_set_task_limits('race', 1, NULL, NULL, NULL, NULL)";
    private const string ClearLimit = "SELECT count(*) FROM jobqueue.job_queue_set_task_limits('race', NULL, NULL, NULL, NULL, NULL)";
    private const string Enqueue = "SELECT jobqueue.job_queue_enqueue('race')::text";
    private const string EnqueueMany = "SELECT jobqueue.job_queue_enqueue_many('race', ARRAY['{}'::jsonb, '{}'::jsonb])::text";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Theory]
    [InlineData(Enqueue, SetLimit)]      // the job made first, in an open transaction; the limit set meanwhile
    [InlineData(EnqueueMany, SetLimit)]
    [InlineData(SetLimit, Enqueue)]      // the limit set first, in an open transaction; the job made meanwhile
    [InlineData(SetLimit, EnqueueMany)]
    public async Task The_second_of_an_enqueue_and_a_limit_appearing_waits_for_the_first_and_the_job_is_held(string first, string second) =>
        await RaceAsync(before: null, first, second, held: true);

    [Theory]
    [InlineData(Enqueue, ClearLimit)]
    [InlineData(ClearLimit, Enqueue)]
    public async Task The_second_of_an_enqueue_and_a_limit_going_waits_for_the_first_and_the_job_is_not_held(string first, string second) =>
        await RaceAsync(before: SetLimit, first, second, held: false);

    [Fact]
    public async Task A_limits_update_that_keeps_the_row_does_not_wait_for_an_open_enqueue_of_its_type()
    {
        await db.ExecuteAsync(SetLimit);
        await using var enqueuer = await db.OwnerDataSource.OpenConnectionAsync();
        await using var open = await enqueuer.BeginTransactionAsync();
        await ScalarAsync(enqueuer, Enqueue);

        // no flip, no exclusive lock: returns while the enqueue's transaction is open
        await db.ExecuteAsync("SELECT count(*) FROM jobqueue.job_queue_set_task_limits('race', 2, NULL, NULL, NULL, NULL)");
        await db.ExecuteAsync("SELECT count(*) FROM jobqueue.job_queue_pause_task_type('race', now() + interval '1 hour')");
        await open.CommitAsync();

        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE task_type = 'race' AND NOT held"));
    }

    [Fact]
    public async Task The_claim_serves_a_job_enqueued_while_its_types_limit_was_being_set_within_the_limit()
    {
        await using var h = new RunnerHarness(db, []);
        await using var enqueuer = await db.OwnerDataSource.OpenConnectionAsync();
        await using var open = await enqueuer.BeginTransactionAsync();
        await ScalarAsync(enqueuer, EnqueueMany);
        await ScalarAsync(enqueuer, Enqueue);
        var limit = Task.Run(() => db.ExecuteAsync(SetLimit));
        await WaitForAdvisoryWaiterAsync();
        await open.CommitAsync();
        await limit.WaitAsync(Patience);

        Assert.Single(await h.Store.ClaimAsync(10, TimeSpan.FromMinutes(5), "r"));
        Assert.Empty(await h.Store.ClaimAsync(10, TimeSpan.FromMinutes(5), "r"));
    }

    [Fact]
    public async Task A_follow_up_of_a_finish_in_an_open_transaction_is_held_when_its_types_limit_set_meanwhile_returns()
    {
        await using var h = new RunnerHarness(db, []);
        var parent = await h.Store.EnqueueAsync(new EnqueueRequest(
            "parent", JsonDocument.Parse("""{"then":{"taskType":"race"}}""").RootElement.Clone()));
        Assert.Single(await h.Store.ClaimAsync(1, TimeSpan.FromMinutes(5), "r"));

        await using var finisher = await db.OwnerDataSource.OpenConnectionAsync();
        await using var open = await finisher.BeginTransactionAsync();
        await ScalarAsync(finisher,
            $$"""SELECT count(*) FROM jobqueue.job_queue_complete('r', '[{"id":"{{parent}}","succeeded":true,"followUp":true}]')""");
        var limit = Task.Run(() => db.ExecuteAsync(SetLimit));
        await WaitForAdvisoryWaiterAsync();
        await open.CommitAsync();
        await limit.WaitAsync(Patience);

        Assert.Equal("succeeded", (await h.Jobs.GetAsync(parent))!.Status);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE task_type = 'race' AND status = 'pending' AND held"));
    }

    private async Task RaceAsync(string? before, string first, string second, bool held)
    {
        if (before is not null)
        {
            await db.ExecuteAsync(before);
        }

        await using var firstSession = await db.OwnerDataSource.OpenConnectionAsync();
        await using var open = await firstSession.BeginTransactionAsync();
        await ScalarAsync(firstSession, first);

        var secondCall = Task.Run(() => db.ExecuteAsync(second));
        await WaitForAdvisoryWaiterAsync();
        Assert.False(secondCall.IsCompleted, "the second call did not wait for the first one's transaction");
        await open.CommitAsync();
        await secondCall.WaitAsync(Patience);

        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE task_type = 'race'") > 0);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE task_type = 'race' AND held <> $1", held));
        Assert.Equal(held ? 1L : 0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue_task_limits WHERE task_type = 'race'"));
    }

    /// <summary>Until a session of this database waits for an advisory lock (the held flag's).</summary>
    private async Task WaitForAdvisoryWaiterAsync()
    {
        var deadline = DateTime.UtcNow + Patience;
        while (await db.ScalarAsync<long>(
                   "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "no session waited for the held flag's lock");
            await Task.Delay(20);
        }
    }

    private static async Task ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteScalarAsync();
    }
}
