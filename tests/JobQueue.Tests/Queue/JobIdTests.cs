using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>The job id default (in the baseline, Database/Schema/versioned/0002_queue_baseline.sql): UUIDv7 layout, unique, and ordered by creation time.</summary>
public sealed class JobIdTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task Ids_are_version_7_with_the_rfc_variant_and_the_creation_millisecond()
    {
        await db.ScalarAsync<int>("SELECT job_queue_enqueue_many('t', array_fill('{}'::jsonb, ARRAY[20000]))");

        Assert.Equal(20_000L, await db.ScalarAsync<long>("SELECT count(DISTINCT id) FROM job_queue"));
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM job_queue WHERE substr(id::text, 15, 1) <> '7' OR substr(id::text, 20, 1) NOT IN ('8', '9', 'a', 'b')"));
        // the first 48 bits are the Unix time in milliseconds, within the statement's run
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM job_queue
             WHERE abs(('x' || substr(replace(id::text, '-', ''), 1, 12))::bit(48)::bigint
                       - (extract(epoch FROM created_at) * 1000)::bigint) > 5000
            """));
        // the random bits are not constant: every nibble position after the version takes many values
        Assert.True(await db.ScalarAsync<long>("SELECT count(DISTINCT right(id::text, 12)) FROM job_queue") > 19_990);
    }

    [Fact]
    public async Task Ids_of_later_jobs_sort_after_earlier_ones()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await db.ScalarAsync<Guid>("SELECT job_queue_enqueue('t', '{}')"));
            await Task.Delay(2);
        }

        Assert.True(await db.ScalarAsync<bool>("SELECT $1::uuid[] = ARRAY(SELECT unnest($1::uuid[]) ORDER BY 1)", ids.ToArray()));
    }
}
