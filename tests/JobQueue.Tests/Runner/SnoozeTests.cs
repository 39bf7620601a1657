using JobQueue.Queue;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Runner;

/// <summary>A handler that polls for a condition snoozes: it runs again later without using up an attempt.</summary>
public sealed class SnoozeTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task A_snoozing_handler_runs_again_after_its_delay_without_using_attempts_and_the_history_says_so()
    {
        var calls = 0;
        await using var h = new RunnerHarness(db, [new DelegateHandler("poll", (_, ctx, _) =>
            ++calls < 3 ? throw ctx.Snooze(TimeSpan.FromMinutes(10), $"condition not met yet (look {calls})") : Task.FromResult<object?>(new { looks = calls }))]);
        var id = await h.Store.EnqueueAsync(new EnqueueRequest("poll", MaxAttempts: 1));

        for (var look = 1; look <= 2; look++)
        {
            var row = Assert.Single((await h.PassAsync()).Results);
            Assert.Equal("pending", row.Status);
            Assert.True(await db.ScalarAsync<bool>(
                "SELECT attempts = 0 AND run_at BETWEEN now() + interval '9 minutes' AND now() + interval '11 minutes' FROM job_queue WHERE id = $1", id));
            Assert.Equal(0, (await h.PassAsync()).Processed); // not due before its delay
            await db.ExecuteAsync("UPDATE job_queue SET run_at = now() WHERE id = $1", id);
        }

        var done = Assert.Single((await h.PassAsync()).Results);
        Assert.Equal(("succeeded", 1), (done.Status, done.Attempts));
        var history = await h.Jobs.GetAttemptsAsync(id);
        Assert.Equal(["snoozed", "snoozed", "succeeded"], history.Select(a => a.Outcome));
        Assert.Contains("condition not met yet (look 2)", history[1].Error);
        Assert.All(history, a => Assert.Equal(1, a.Attempt));
    }
}
