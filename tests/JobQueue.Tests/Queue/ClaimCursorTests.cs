using JobQueue.Queue;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace JobQueue.Tests.Queue;

/// <summary>
/// The claim's cursor (migration 0110, <see cref="ClaimCursor"/>): a claim starts after the last job
/// its process claimed, looks before it when too few jobs lie after it, and a claim without a cursor
/// (at least once a second) takes the jobs that sort before it, such as a rescued job.
/// </summary>
public sealed class ClaimCursorTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public void The_cursor_moves_forward_only_and_starts_from_the_lowest_key_once_a_second()
    {
        var time = new FakeTimeProvider();
        var cursor = new ClaimCursor(time);
        var t0 = DateTimeOffset.UtcNow;
        Assert.Null(cursor.Next());

        cursor.Advance([Job(t0, 2), Job(t0, 5), Job(t0.AddSeconds(-1), 9)]);
        Assert.Equal((t0, Id(5)), cursor.Next());
        cursor.Advance([Job(t0, 3)]); // a job before the cursor (a full scan's) does not move it back
        Assert.Equal((t0, Id(5)), cursor.Next());

        time.Advance(ClaimCursor.FullScanInterval);
        Assert.Null(cursor.Next());
        Assert.Equal((t0, Id(5)), cursor.Next());
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

    private async Task<List<Guid>> ClaimAsync(int limit, DateTimeOffset afterRunAt, Guid afterId)
    {
        await using var cmd = db.DataSource.CreateCommand(
            "SELECT id FROM jobqueue.job_queue_claim($1, interval '1 minute', 'r', $2, $3) ORDER BY run_at, id");
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

    private static Job Job(DateTimeOffset runAt, int n) =>
        new(Id(n), "t", default, JobStatus.Processing, runAt, 1, 3, null, null, null, null, null, null, null, runAt, runAt, null, null);
}
