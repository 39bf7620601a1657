using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Api;

/// <summary>The flow-control routes through the real HTTP pipeline: set, list, pause and resume; bad input changes nothing.</summary>
public sealed class TaskLimitApiTests : IAsyncLifetime
{
    private TestDatabase db = null!;
    private ApiTestServer api = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        api = await ApiTestServer.StartAsync(db);
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await db.DisposeAsync();
    }

    [Fact]
    public async Task Limits_and_a_pause_are_set_listed_shown_in_health_and_lifted()
    {
        await api.JsonAsync(HttpMethod.Post, "/api/admin/task-limits/set",
            """{"taskType":"test_echo","maxConcurrency":3,"partitionBy":"coachId","maxConcurrencyPerPartition":1,"rateLimit":60,"rateIntervalSeconds":60}""",
            Credentials.Admin, 200);
        await api.JsonAsync(HttpMethod.Post, "/api/admin/task-limits/pause", """{"taskType":"test_echo","seconds":600,"reason":"maintenance of the API"}""",
            Credentials.Admin, 200);

        var list = await api.JsonAsync(HttpMethod.Get, "/api/admin/task-limits", null, Credentials.Admin, 200);
        var echo = Assert.Single(list.GetProperty("taskTypes").EnumerateArray(), t => t.GetProperty("taskType").GetString() == "test_echo");
        var limits = echo.GetProperty("limits");
        Assert.Equal(3, limits.GetProperty("maxConcurrency").GetInt32());
        Assert.Equal("coachId", limits.GetProperty("partitionBy").GetString());
        Assert.Equal(60, limits.GetProperty("rateLimit").GetInt32());
        Assert.Equal(60, limits.GetProperty("rateIntervalSeconds").GetDouble());
        Assert.Equal("maintenance of the API", limits.GetProperty("pausedReason").GetString());
        Assert.Contains(list.GetProperty("taskTypes").EnumerateArray(), t => t.GetProperty("taskType").GetString() == "job_queue_cleanup");

        var health = await api.JsonAsync(HttpMethod.Get, "/api/admin/job-queue/health", null, Credentials.Admin, 200);
        var paused = Assert.Single(health.GetProperty("pausedTaskTypes").EnumerateArray());
        Assert.Equal("test_echo", paused.GetProperty("taskType").GetString());

        await api.JsonAsync(HttpMethod.Post, "/api/admin/task-limits/resume", """{"taskType":"test_echo"}""", Credentials.Admin, 200);
        health = await api.JsonAsync(HttpMethod.Get, "/api/admin/job-queue/health", null, Credentials.Admin, 200);
        Assert.Empty(health.GetProperty("pausedTaskTypes").EnumerateArray());
        Assert.Equal(3, await db.ScalarAsync<int>("SELECT max_concurrency FROM job_queue_task_limits WHERE task_type = 'test_echo'"));
    }

    [Theory]
    [InlineData("set", """{"taskType":"no_such_type","maxConcurrency":1}""", "taskType")]
    [InlineData("set", """{"taskType":"test_echo","maxConcurrency":0}""", "maxConcurrency")]
    [InlineData("set", """{"taskType":"test_echo","partitionBy":"coachId"}""", "maxConcurrencyPerPartition")]
    [InlineData("set", """{"taskType":"test_echo","partitionBy":"a.b","maxConcurrencyPerPartition":1}""", "partitionBy")]
    [InlineData("set", """{"taskType":"test_echo","rateLimit":5}""", "rateIntervalSeconds")]
    [InlineData("pause", """{"taskType":"test_echo"}""", "pausedUntil")]
    [InlineData("pause", """{"taskType":"test_echo","pausedUntil":"2000-01-01T00:00:00Z"}""", "pausedUntil")]
    [InlineData("pause", """{"taskType":"test_echo","seconds":99999999}""", "seconds")]
    [InlineData("resume", """{}""", "taskType")]
    public async Task Bad_input_is_a_400_naming_the_field_and_changes_nothing(string route, string body, string field)
    {
        var before = await api.SnapshotAsync();

        var problem = await api.JsonAsync(HttpMethod.Post, "/api/admin/task-limits/" + route, body, Credentials.Admin, 400);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await api.SnapshotAsync());
    }

    [Fact]
    public async Task An_enqueue_takes_a_priority_and_a_partition_key_and_refuses_one_out_of_range()
    {
        var created = await api.JsonAsync(HttpMethod.Post, "/api/admin/jobs",
            """{"taskType":"test_echo","priority":7,"partitionKey":"coach-9","runAt":"2099-01-01T00:00:00Z"}""", Credentials.Admin, 201);
        var job = await api.JsonAsync(HttpMethod.Get, "/api/admin/jobs/" + created.GetProperty("jobId").GetGuid(), null, Credentials.Admin, 200);
        Assert.Equal(7, job.GetProperty("priority").GetInt32());
        Assert.Equal("coach-9", job.GetProperty("partitionKey").GetString());

        var problem = await api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", """{"taskType":"test_echo","priority":101}""", Credentials.Admin, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("priority", out _));
    }

    [Fact]
    public async Task Limits_in_the_settings_are_written_when_the_host_starts()
    {
        await using var configured = await ApiTestServer.StartAsync(db, settings: new Dictionary<string, string?>
        {
            ["TaskLimits:test_echo:MaxConcurrency"] = "4",
            ["TaskLimits:test_echo:RateLimit"] = "10",
            ["TaskLimits:test_echo:RateIntervalSeconds"] = "60",
        });

        for (var i = 0; i < 100 && await db.ScalarAsync<int>("SELECT count(*)::int FROM job_queue_task_limits WHERE task_type = 'test_echo'") == 0; i++)
        {
            await Task.Delay(100);
        }

        var list = await configured.JsonAsync(HttpMethod.Get, "/api/admin/task-limits", null, Credentials.Admin, 200);
        var limits = Assert.Single(list.GetProperty("taskTypes").EnumerateArray(), t => t.GetProperty("taskType").GetString() == "test_echo")
            .GetProperty("limits");
        Assert.Equal((4, 10, "settings"), (limits.GetProperty("maxConcurrency").GetInt32(), limits.GetProperty("rateLimit").GetInt32(),
            limits.GetProperty("source").GetString()));
    }
}
