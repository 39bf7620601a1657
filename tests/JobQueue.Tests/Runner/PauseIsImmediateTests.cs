using JobQueue.Tests.Infrastructure;
using Npgsql;

namespace JobQueue.Tests.Runner;

/// <summary>
/// A pause takes effect for the next claim (job_queue_claim reads the switch under the shared lock
/// that job_queue_set_settings takes exclusive; a task type's pause updates the limits row that its
/// claimer holds FOR UPDATE): while eight claimers claim as fast as they can and an enqueuer keeps
/// adding jobs, no attempt starts after the pause returned, in every round.
/// </summary>
public sealed class PauseIsImmediateTests : IAsyncLifetime
{
    private const int Claimers = 8;
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task No_attempt_starts_after_a_queue_pause_returned()
    {
        for (var round = 0; round < 5; round++)
        {
            await db.ExecuteAsync("SELECT count(*) FROM jobqueue.job_queue_set_settings(true)");
            var (pausedAt, returnedAt, claimedBefore) = await RaceAsync(["free"], async () =>
                await db.ScalarAsync<DateTime>("SELECT updated_at FROM jobqueue.job_queue_set_settings(false, 'maintenance', 'test')"));

            Assert.True(claimedBefore > 0, $"round {round}: the claimers claimed nothing before the pause");
            Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE started_at >= $1", pausedAt));
            Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE started_at >= $1", returnedAt));
            Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE status = 'pending' AND run_at <= now()") > 0);
        }
    }

    [Fact]
    public async Task A_pause_waits_for_a_claim_that_read_enabled_and_the_next_claim_claims_nothing()
    {
        await db.ExecuteAsync("SELECT job_queue_enqueue('free') FROM generate_series(1, 3)");
        await using var claimer = await db.DataSource.OpenConnectionAsync();
        await using var open = await claimer.BeginTransactionAsync();
        Assert.Equal(1L, await ScalarAsync(claimer, "SELECT count(*) FROM jobqueue.job_queue_claim(1, interval '5 minutes', 'open')"));

        var pause = Task.Run(() => db.ExecuteAsync("SELECT count(*) FROM jobqueue.job_queue_set_settings(false)"));
        await Task.Delay(300);
        Assert.False(pause.IsCompleted, "the pause returned while a claim that read \"enabled\" was still open");
        await open.CommitAsync();
        await pause.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM jobqueue.job_queue_claim(10, interval '5 minutes', 'after')"));
        await db.ExecuteAsync("SELECT count(*) FROM jobqueue.job_queue_set_settings(true)");
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM jobqueue.job_queue_claim(10, interval '5 minutes', 'resumed')"));
    }

    [Theory]
    [InlineData(false)] // the type had no limits row: the pause inserts it and flips the type's held flags
    [InlineData(true)]  // the type already had a limit: its claimer holds the row FOR UPDATE
    public async Task No_attempt_of_a_task_type_starts_after_its_pause_returned(bool limitedBefore)
    {
        for (var round = 0; round < 3; round++)
        {
            await db.ExecuteAsync("SELECT count(*) FROM jobqueue.job_queue_pause_task_type('tt', NULL)");
            if (limitedBefore)
            {
                await db.ExecuteAsync("SELECT count(*) FROM jobqueue.job_queue_set_task_limits('tt', 100000, NULL, NULL, NULL, NULL)");
            }

            var (_, returnedAt, claimedBefore) = await RaceAsync(["tt", "free"], async () =>
            {
                await db.ExecuteAsync("SELECT count(*) FROM jobqueue.job_queue_pause_task_type('tt', now() + interval '1 hour', 'test')");
                return await db.ScalarAsync<DateTime>("SELECT clock_timestamp()");
            });

            Assert.True(claimedBefore > 0, $"round {round}: the claimers claimed nothing before the pause");
            Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE task_type = 'tt' AND started_at >= $1", returnedAt));
            // the other type went on being claimed after the pause
            Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE task_type = 'free' AND started_at >= $1", returnedAt) > 0,
                $"round {round}: nothing was claimed after the pause (the claimers stopped too early to tell)");
        }
    }

    /// <summary>
    /// Claimers and an enqueuer of <paramref name="types"/> run; after a while <paramref name="pause"/>
    /// (returning the time to compare the starts with), then they keep going for a while. Returns that
    /// time, the database's clock once the pause returned, and the jobs claimed before the pause.
    /// </summary>
    private async Task<(DateTime PausedAt, DateTime ReturnedAt, long ClaimedBefore)> RaceAsync(string[] types, Func<Task<DateTime>> pause)
    {
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, Claimers).Select(i => Task.Run(() => ClaimLoopAsync($"claimer-{i}", stop.Token))).ToList();
        workers.Add(Task.Run(() => EnqueueLoopAsync(types, stop.Token)));
        // running at full speed first (a loaded machine opens the connections slowly)
        var claimedBefore = await UntilAsync("SELECT count(*) FROM job_queue WHERE started_at IS NOT NULL", 50);
        var pausedAt = await pause();
        var returnedAt = await db.ScalarAsync<DateTime>("SELECT clock_timestamp()");
        // and for a while after the pause: jobs keep coming, the claimers keep claiming
        await Task.Delay(300);
        await UntilAsync("SELECT count(*) FROM job_queue WHERE created_at >= $1", 100, returnedAt);
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        return (pausedAt, returnedAt, claimedBefore);
    }

    private async Task<long> UntilAsync(string countSql, long atLeast, params object[] parameters)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        long n;
        while ((n = await db.ScalarAsync<long>(countSql, parameters)) < atLeast && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return n;
    }

    private async Task ClaimLoopAsync(string runnerId, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await using var cmd = db.DataSource.CreateCommand("SELECT count(*) FROM jobqueue.job_queue_claim(5, interval '5 minutes', $1)");
            cmd.Parameters.Add(new NpgsqlParameter { Value = runnerId });
            await cmd.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    private async Task EnqueueLoopAsync(string[] types, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var type in types)
            {
                await using var cmd = db.DataSource.CreateCommand("SELECT jobqueue.job_queue_enqueue_many($1, array_fill('{}'::jsonb, ARRAY[5]))");
                cmd.Parameters.Add(new NpgsqlParameter { Value = type });
                await cmd.ExecuteScalarAsync(CancellationToken.None);
            }
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
