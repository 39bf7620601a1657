using JobQueue.Queue;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace JobQueue.Tests.Queue;

/// <summary>
/// The claim's cursor (jobqueue.job_queue_claim, Database/Schema/functions/runner/job_queue_claim.sql,
/// and <see cref="ClaimCursor"/>): a claim starts after the last job
/// its process claimed, looks before it when too few jobs lie after it, and a claim without a cursor
/// (at least once a second) takes the jobs that sort before it, such as a rescued job.
/// </summary>
public sealed class ClaimCursorTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public void The_cursor_moves_forward_in_its_level_follows_the_drain_to_another_level_and_starts_from_the_lowest_key_once_a_second()
    {
        var time = new FakeTimeProvider();
        var cursor = new ClaimCursor(time);
        var t0 = DateTimeOffset.UtcNow;
        Assert.Null(cursor.Next());

        cursor.Advance([Job(t0, 2), Job(t0, 5), Job(t0.AddSeconds(-1), 9)]);
        Assert.Equal((0, t0, Id(5)), cursor.Next());
        cursor.Advance([Job(t0, 3)]); // a job before the cursor in its level (a full scan's) does not move it back
        Assert.Equal((0, t0, Id(5)), cursor.Next());
        // a batch ends at the last job in claim order: a lower level comes after every job of level 0
        cursor.Advance([Job(t0.AddSeconds(5), 7, priority: 4), Job(t0.AddSeconds(-5), 1, priority: -1), Job(t0, 8)]);
        Assert.Equal((-1, t0.AddSeconds(-5), Id(1)), cursor.Next());
        // the drain moved back to level 0 (new jobs there): the cursor follows it, however low its key
        cursor.Advance([Job(t0.AddSeconds(-9), 4)]);
        Assert.Equal((0, t0.AddSeconds(-9), Id(4)), cursor.Next());

        time.Advance(ClaimCursor.FullScanInterval);
        Assert.Null(cursor.Next());
        Assert.Equal((0, t0.AddSeconds(-9), Id(4)), cursor.Next());
    }

    [Fact]
    public async Task A_claim_after_the_cursor_skips_what_lies_before_it_unless_too_few_lie_after_it()
    {
        var t = DateTimeOffset.UtcNow.AddMinutes(-1);
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await db.ScalarAsync<Guid>("SELECT job_queue_enqueue('t', '{}', $1, 3)", t.AddSeconds(i)));
        }

        // a cursor at the second job: the third and fourth come first
        Assert.Equal(ids[2..4], await ClaimAsync(2, t.AddSeconds(1), ids[1]));
        // fewer after the cursor than asked for: the ones before it too
        Assert.Equal(ids[0..2], await ClaimAsync(5, t.AddSeconds(1), ids[1]));
    }

    [Fact]
    public async Task The_cursor_applies_in_its_priority_level_only_and_a_higher_level_is_claimed_first()
    {
        var t = DateTimeOffset.UtcNow.AddMinutes(-1);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await db.ScalarAsync<Guid>("SELECT job_queue_enqueue('t', '{}', $1, 3)", t.AddSeconds(i)));
        }

        var urgent = await db.ScalarAsync<Guid>("SELECT jobqueue.job_queue_enqueue('t', '{}', $1, 3, NULL, NULL, NULL, 5)", t.AddSeconds(-30));

        // a cursor at level 0's second job: the level-5 job (before it by run_at) first, then level 0 after the cursor
        Assert.Equal([urgent, ids[2]], await ClaimAsync(2, t.AddSeconds(1), ids[1]));
    }

    private async Task<List<Guid>> ClaimAsync(int limit, DateTimeOffset afterRunAt, Guid afterId)
    {
        await using var cmd = db.DataSource.CreateCommand(
            "SELECT id FROM jobqueue.job_queue_claim($1, interval '1 minute', 'r', $2, $3, 0) ORDER BY run_at, id");
        cmd.Parameters.AddWithValue(limit);
        cmd.Parameters.AddWithValue(afterRunAt);
        cmd.Parameters.AddWithValue(afterId);
        var claimed = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            claimed.Add(reader.GetGuid(0));
        }

        return claimed;
    }

    private static Guid Id(int n) => new($"00000000-0000-7000-8000-{n:D12}");

    private static Job Job(DateTimeOffset runAt, int n, int priority = 0) =>
        new(Id(n), "t", default, JobStatus.Processing, runAt, 1, 3, null, null, null, null, null, null, null, runAt, runAt, null, null, Priority: priority);
}
