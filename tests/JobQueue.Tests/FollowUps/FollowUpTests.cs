using System.Text.Json;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.FollowUps;

/// <summary>
/// Follow-up jobs (<c>then</c>): enqueued by job_queue_complete in the transaction that records the
/// success, checked when a job is created and before it runs, and never able to break a batch.
/// </summary>
public sealed class FollowUpTests : IAsyncLifetime
{
    private TestDatabase db = null!;
    private ApiTestServer api = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        api = await ApiTestServer.StartAsync(db, settings: new Dictionary<string, string?> { ["Runner:Backoff:BaseSeconds"] = "0" });
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await db.DisposeAsync();
    }

    [Fact]
    public async Task A_success_enqueues_the_follow_up_in_the_same_transaction()
    {
        var parent = await EnqueueAsync(new
        {
            count = 1,
            then = new { taskType = EchoHandler.Name, payload = new { count = 2 }, delaySeconds = 3600, dedupeKey = "fu-same-tx", maxAttempts = 4 },
        }, requestId: "req-parent-1");

        await RunAsync();

        var child = await db.ScalarAsync<Guid>("SELECT id FROM job_queue WHERE triggered_by = 'follow-up:' || $1::text", parent.ToString());
        Assert.Equal("succeeded", await Column<string>(parent, "status"));
        // created_at is the inserting transaction's now(): equal to the parent's completed_at only in the same transaction
        Assert.Equal(await Column<DateTime>(parent, "completed_at"), await Column<DateTime>(child, "created_at"));
        Assert.Equal(3600, await db.ScalarAsync<double>("SELECT extract(epoch FROM run_at - created_at)::float8 FROM job_queue WHERE id = $1", child));
        Assert.Equal("pending", await Column<string>(child, "status"));
        Assert.Equal("fu-same-tx", await Column<string>(child, "dedupe_key"));
        Assert.Equal(4, await Column<int>(child, "max_attempts"));
        Assert.Equal("req-parent-1", await Column<string>(child, "request_id"));
        Assert.Equal(2, await db.ScalarAsync<int>("SELECT (payload ->> 'count')::int FROM job_queue WHERE id = $1", child));
    }

    [Fact]
    public async Task A_follow_up_carries_its_priority_and_partition_key_and_the_jobs_trace_context()
    {
        const string trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var parent = await db.ScalarAsync<Guid>(
            $"SELECT job_queue_enqueue('{EchoHandler.Name}', $1::jsonb, now(), 3, trace_parent => $2)",
            JsonSerializer.Serialize(new { then = new { taskType = EchoHandler.Name, priority = 7, partitionKey = "coach-12" } }), trace);
        var plain = await EnqueueAsync(new { then = new { taskType = EchoHandler.Name } });

        await RunAsync();

        var child = await db.ScalarAsync<Guid>("SELECT id FROM job_queue WHERE triggered_by = 'follow-up:' || $1::text", parent.ToString());
        Assert.Equal(7, await Column<int>(child, "priority"));
        Assert.Equal("coach-12", await Column<string>(child, "partition_key"));
        Assert.Equal(trace, await Column<string>(child, "trace_parent"));
        var plainChild = await db.ScalarAsync<Guid>("SELECT id FROM job_queue WHERE triggered_by = 'follow-up:' || $1::text", plain.ToString());
        Assert.Equal(0, await Column<int>(plainChild, "priority"));
        Assert.Null(await Column<string>(plainChild, "partition_key"));
    }

    [Fact]
    public async Task Attempts_that_fail_enqueue_nothing()
    {
        var parent = await EnqueueAsync(new { fail = true, then = new { taskType = EchoHandler.Name } }, maxAttempts: 2);

        await RunAsync();
        Assert.Equal("pending", await Column<string>(parent, "status"));
        await RunAsync();

        Assert.Equal("failed", await Column<string>(parent, "status"));
        Assert.Equal(0L, await FollowUpsOfAsync(parent));
    }

    [Fact]
    public async Task A_live_job_with_the_same_dedupe_key_absorbs_the_follow_up()
    {
        var live = await db.ScalarAsync<Guid>($"SELECT job_queue_enqueue('{EchoHandler.Name}', '{{}}'::jsonb, now() + interval '1 day', 3, 'fu-dedupe')");
        var parent = await EnqueueAsync(new { then = new { taskType = EchoHandler.Name, dedupeKey = "fu-dedupe" } });

        await RunAsync();

        Assert.Equal("succeeded", await Column<string>(parent, "status"));
        Assert.Equal(0L, await FollowUpsOfAsync(parent));
        Assert.Equal(live, await db.ScalarAsync<Guid>("SELECT id FROM job_queue WHERE dedupe_key = 'fu-dedupe'"));
    }

    [Fact]
    public async Task A_follow_up_may_carry_its_own_and_the_chain_runs_link_by_link()
    {
        var parent = await EnqueueAsync(new
        {
            count = 1,
            then = new
            {
                taskType = EchoHandler.Name,
                payload = new { count = 2, then = new { taskType = EchoHandler.Name, payload = new { count = 3 }, delaySeconds = 60 } },
            },
        });

        await RunAsync();
        var child = await db.ScalarAsync<Guid>("SELECT id FROM job_queue WHERE triggered_by = 'follow-up:' || $1::text", parent.ToString());
        await RunAsync();
        var grandchild = await db.ScalarAsync<Guid>("SELECT id FROM job_queue WHERE triggered_by = 'follow-up:' || $1::text", child.ToString());

        Assert.Equal("succeeded", await Column<string>(child, "status"));
        Assert.Equal(3, await db.ScalarAsync<int>("SELECT (payload ->> 'count')::int FROM job_queue WHERE id = $1", grandchild));
        Assert.Equal("pending", await Column<string>(grandchild, "status"));
    }

    [Theory]
    [InlineData("{\"then\":{\"taskType\":\"no_such_task\"}}", "payload.then.taskType")]
    [InlineData("{\"then\":{\"taskType\":\"test_echo\",\"payload\":{\"count\":99}}}", "payload.then.payload.count")]
    [InlineData("{\"then\":{\"taskType\":\"test_echo\",\"delay\":5}}", "payload.then.delay")]
    [InlineData("{\"then\":{\"taskType\":\"test_echo\",\"delaySeconds\":-1}}", "payload.then.delaySeconds")]
    [InlineData("{\"then\":{\"taskType\":\"test_echo\",\"dedupeKey\":\"\"}}", "payload.then.dedupeKey")]
    [InlineData("{\"then\":{\"taskType\":\"test_echo\",\"maxAttempts\":0}}", "payload.then.maxAttempts")]
    [InlineData("{\"then\":{\"taskType\":\"test_echo\",\"priority\":101}}", "payload.then.priority")]
    [InlineData("{\"then\":{\"taskType\":\"test_echo\",\"priority\":1.5}}", "payload.then.priority")]
    [InlineData("{\"then\":{\"taskType\":\"test_echo\",\"partitionKey\":\"\"}}", "payload.then.partitionKey")]
    [InlineData("{\"then\":\"test_echo\"}", "payload.then")]
    [InlineData("{\"then\":{\"taskType\":\"test_echo\",\"payload\":{\"then\":{\"taskType\":\"nope\"}}}}", "payload.then.payload.then.taskType")]
    public async Task An_invalid_follow_up_is_refused_when_the_job_is_created(string payload, string field)
    {
        var before = await api.SnapshotAsync();

        var problem = await api.JsonAsync(HttpMethod.Post, "/api/admin/jobs",
            $"{{\"taskType\":\"{EchoHandler.Name}\",\"payload\":{payload}}}", Credentials.Admin, 400);
        var cronProblem = await api.JsonAsync(HttpMethod.Post, "/api/admin/cron-jobs/create",
            $"{{\"jobName\":\"fu-never-created\",\"schedule\":\"0 3 * * *\",\"taskType\":\"{EchoHandler.Name}\",\"payload\":{payload}}}", Credentials.Admin, 400);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.True(cronProblem.GetProperty("errors").TryGetProperty(field, out _), cronProblem.ToString());
        Assert.Equal(before, await api.SnapshotAsync());
    }

    [Fact]
    public async Task An_invalid_follow_up_enqueued_in_sql_fails_the_job_before_it_runs()
    {
        var id = await db.ScalarAsync<Guid>(
            $"SELECT job_queue_enqueue('{EchoHandler.Name}', '{{\"then\":{{\"taskType\":\"{EchoHandler.Name}\",\"payload\":{{\"count\":99}}}}}}'::jsonb, now(), 5)");

        await RunAsync();

        Assert.Equal("failed", await Column<string>(id, "status"));
        Assert.Equal(1, await Column<int>(id, "attempts"));
        Assert.StartsWith("invalid payload: then.payload.count", await Column<string>(id, "last_error"), StringComparison.Ordinal);
        Assert.Null(await Column<string>(id, "output"));
    }

    [Fact]
    public async Task A_follow_up_of_a_task_type_this_instance_does_not_know_is_enqueued_to_wait_for_one_that_does()
    {
        var id = await db.ScalarAsync<Guid>(
            $"SELECT job_queue_enqueue('{EchoHandler.Name}', '{{\"then\":{{\"taskType\":\"deployed_next_week\"}}}}'::jsonb, now(), 5)");

        await RunAsync();

        Assert.Equal("succeeded", await Column<string>(id, "status"));
        Assert.Equal("deployed_next_week", await db.ScalarAsync<string>("SELECT task_type FROM job_queue WHERE triggered_by = 'follow-up:' || $1::text", id.ToString()));
    }

    [Fact]
    public async Task The_single_job_finish_existing_callers_use_enqueues_the_follow_up_too()
    {
        await db.EnablePublicWrappersAsync(); // the RPC names existing callers use, when asked
        var id = await db.ScalarAsync<Guid>(
            $"SELECT job_queue_enqueue('{EchoHandler.Name}', '{{\"then\":{{\"taskType\":\"{EchoHandler.Name}\",\"dedupeKey\":\"legacy\"}}}}'::jsonb, now(), 3)");
        await db.ExecuteAsync("SELECT id FROM job_queue_claim(10, interval '5 minutes', 'legacy-worker')");

        Assert.True(await db.ScalarAsync<bool>("SELECT public.job_queue_mark_succeeded($1, '{\"ok\":true}'::jsonb)", id));

        Assert.Equal(1L, await FollowUpsOfAsync(id));
        Assert.Equal("legacy", await db.ScalarAsync<string>("SELECT dedupe_key FROM job_queue WHERE triggered_by = 'follow-up:' || $1::text", id.ToString()));
    }

    [Theory]
    [InlineData("{\"taskType\":5}")]
    [InlineData("{\"taskType\":\"test_echo\",\"maxAttempts\":\"many\"}")]
    [InlineData("{\"taskType\":\"test_echo\",\"maxAttempts\":1000}")]
    [InlineData("{\"taskType\":\"test_echo\",\"delaySeconds\":\"soon\"}")]
    [InlineData("{\"taskType\":\"test_echo\",\"dedupeKey\":\"\"}")]
    [InlineData("{\"taskType\":\"test_echo\",\"payload\":[1,2]}")]
    [InlineData("{\"taskType\":\"test_echo\",\"priority\":500}")]
    [InlineData("{\"taskType\":\"test_echo\",\"priority\":2.5}")]
    [InlineData("{\"taskType\":\"test_echo\",\"partitionKey\":7}")]
    [InlineData("[\"not\",\"an\",\"object\"]")]
    public async Task A_malformed_follow_up_reaching_sql_is_skipped_and_the_success_is_still_recorded(string then)
    {
        var id = await db.ScalarAsync<Guid>($"SELECT job_queue_enqueue('sql_only', jsonb_build_object('then', $1::jsonb), now(), 3)", then);
        await db.ExecuteAsync("SELECT id FROM job_queue_claim(10, interval '5 minutes', 'sql-runner')");

        var status = await db.ScalarAsync<string>(
            "SELECT status FROM job_queue_complete('sql-runner', jsonb_build_array(jsonb_build_object('id', $1::uuid, 'succeeded', true, 'followUp', true)))", id);

        Assert.Equal("succeeded", status);
        Assert.Equal(0L, await FollowUpsOfAsync(id));
    }

    [Fact]
    public async Task A_huge_delay_is_capped_at_a_year_and_a_day()
    {
        var id = await db.ScalarAsync<Guid>(
            "SELECT job_queue_enqueue('sql_only', '{\"then\":{\"taskType\":\"sql_only\",\"delaySeconds\":1e400}}'::jsonb, now(), 3)");
        await db.ExecuteAsync("SELECT id FROM job_queue_claim(10, interval '5 minutes', 'sql-runner')");
        await db.ExecuteAsync("SELECT * FROM job_queue_complete('sql-runner', jsonb_build_array(jsonb_build_object('id', $1::uuid, 'succeeded', true, 'followUp', true)))", id);

        Assert.Equal(31622400, await db.ScalarAsync<double>(
            "SELECT extract(epoch FROM run_at - created_at)::float8 FROM job_queue WHERE triggered_by = 'follow-up:' || $1::text", id.ToString()));
    }

    private async Task<Guid> EnqueueAsync(object payload, int maxAttempts = 3, string? requestId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/jobs")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { taskType = EchoHandler.Name, payload, maxAttempts }), System.Text.Encoding.UTF8, "application/json"),
        };
        ApiTestServer.Authorize(request, Credentials.Admin);
        if (requestId is not null)
        {
            request.Headers.Add("x-request-id", requestId);
        }

        using var response = await api.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 201, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("jobId").GetGuid();
    }

    private Task<JsonElement> RunAsync() => api.JsonAsync(HttpMethod.Post, "/api/jobs/run", "{\"limit\":10,\"force\":true}", Credentials.Runner, 200);

    private Task<T> Column<T>(Guid id, string column) => db.ScalarAsync<T>($"SELECT {column} FROM job_queue WHERE id = $1", id);

    private Task<long> FollowUpsOfAsync(Guid id) =>
        db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE triggered_by = 'follow-up:' || $1::text", id.ToString());
}
