using System.Net;
using JobQueue.Queue;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using Npgsql;

namespace JobQueue.Tests.Runner;

/// <summary>
/// Payload and output limits where every producer passes (the SQL enqueues, the finish), and a row
/// the runner cannot read (written around the enqueue) failing alone instead of stalling its batch.
/// </summary>
public sealed class PayloadLimitTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    /// <summary>An object whose innermost value is <paramref name="levels"/> levels below the root.</summary>
    private static string Nested(int levels) => string.Concat(Enumerable.Repeat("{\"a\":", levels)) + "1" + new string('}', levels);

    [Theory]
    [InlineData("SELECT public.job_queue_enqueue('t', $1::jsonb)")]
    [InlineData("SELECT jobqueue.job_queue_enqueue('t', $1::jsonb)")]
    [InlineData("SELECT jobqueue.job_queue_enqueue_many('t', ARRAY['{}'::jsonb, $1::jsonb])")]
    public async Task The_sql_enqueues_refuse_a_payload_too_deep_or_too_large_naming_the_limit(string sql)
    {
        await db.EnablePublicWrappersAsync(); // old callers' RPC name, when asked
        foreach (var (payload, limit) in new[]
        {
            (Nested(32), "nested 32 levels deep"),
            (Nested(70), "nested 32 levels deep"),
            ("{\"big\":\"" + new string('x', 1_100_000) + "\"}", "larger than 1 MiB"),
        })
        {
            // as the app's runtime login: what pg_cron commands and old callers in that role run
            await using var cmd = db.DataSource.CreateCommand(sql);
            cmd.Parameters.Add(new NpgsqlParameter { Value = payload });
            var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteScalarAsync());
            Assert.Equal(PostgresErrorCodes.InvalidParameterValue, e.SqlState);
            Assert.Contains(limit, e.MessageText, StringComparison.Ordinal);
            Assert.StartsWith("payload", e.ColumnName);
        }

        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue"));
        await using var fine = db.DataSource.CreateCommand("SELECT jobqueue.job_queue_enqueue('t', $1::jsonb)");
        fine.Parameters.Add(new NpgsqlParameter { Value = Nested(31) });
        await fine.ExecuteScalarAsync();
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue"));
    }

    [Fact]
    public async Task An_output_over_the_limits_is_replaced_by_a_note_and_the_finish_still_lands()
    {
        var id = await db.ScalarAsync<Guid>("SELECT job_queue_enqueue('t', '{}')");
        Assert.Equal(id, await db.ScalarAsync<Guid>("SELECT id FROM job_queue_claim(1, interval '1 minute', 'r1')"));

        Assert.True(await db.ScalarAsync<bool>("SELECT job_queue_mark_succeeded($1, $2::jsonb, 'r1')", id, Nested(40)));

        Assert.Equal("succeeded", await db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", id));
        Assert.Contains("nested 32 levels deep", await db.ScalarAsync<string>("SELECT output->>'discarded' FROM job_queue WHERE id = $1", id));
    }

    [Fact]
    public async Task A_row_the_runner_cannot_read_fails_alone_and_the_rest_of_its_batch_runs()
    {
        var ran = new List<Guid>();
        await using var h = new RunnerHarness(db, [new DelegateHandler("work", (_, ctx, _) => { lock (ran) { ran.Add(ctx.JobId); } return Task.FromResult<object?>(null); })]);
        var before = await h.Store.EnqueueAsync(new EnqueueRequest("work", RunAt: DateTimeOffset.UtcNow.AddSeconds(-3)));
        // written around the enqueue, as a trigger or a hand-made INSERT could: 70 levels (the reader's limit is 64)
        var unreadable = await db.ScalarAsync<Guid>(
            "INSERT INTO job_queue (task_type, payload, run_at, max_attempts) VALUES ('work', $1::jsonb, now() - interval '2 seconds', 5) RETURNING id",
            Nested(70));
        var after = await h.Store.EnqueueAsync(new EnqueueRequest("work", RunAt: DateTimeOffset.UtcNow.AddSeconds(-1)));

        var report = await h.PassAsync(limit: 5);

        Assert.Equal(3, report.Processed);
        Assert.Equal(new[] { before, after }.Order(), ran.Order());
        var bad = Assert.Single(report.Results, x => x.Id == unreadable);
        Assert.Equal("failed", bad.Status);
        Assert.Contains("payload cannot be read", bad.LastError);
        Assert.Equal("failed", await db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", unreadable));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE status = 'processing'"));

        // the list and the detail still answer, saying what cannot be read
        await using var api = await ApiTestServer.StartAsync(db);
        var list = await api.JsonAsync(HttpMethod.Get, "/api/admin/jobs", null, Credentials.Admin, 200);
        var listed = Assert.Single(list.GetProperty("jobs").EnumerateArray(), j => j.GetProperty("id").GetGuid() == unreadable);
        Assert.Contains("payload cannot be read", listed.GetProperty("readError").GetString());
        using var detail = await api.SendAsync(HttpMethod.Get, $"/api/admin/jobs/{unreadable}", null, Credentials.Admin);
        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
    }
}
