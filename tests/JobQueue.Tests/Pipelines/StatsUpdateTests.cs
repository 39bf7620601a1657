using System.Text.Json;
using JobQueue.Scheduling;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using JobQueue.Tests.Maintenance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static JobQueue.Tests.Infrastructure.HttpReceiver;

namespace JobQueue.Tests.Pipelines;

/// <summary>
/// The stats pipeline on the server app: real SQL steps that are fast, slow, broken and flaky, the
/// cache invalidation POSTed to a real receiver, the enqueue route with its post-match joining and
/// retries, and the nightly schedule.
/// </summary>
public sealed class StatsUpdateTests : IAsyncLifetime
{
    private const string Token = "cache-token-7d1e9f3a2b";

    private readonly string invalidationPath = NewPath("revalidate");
    private readonly CapturingLoggerProvider logs = new();
    private TestDatabase db = null!;
    private HttpReceiver receiver = null!;
    private ApiTestServer api = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync("""
            CREATE TABLE public.stats_calls (step text, at timestamptz DEFAULT clock_timestamp());
            CREATE SEQUENCE public.stats_flaky_calls;
            CREATE FUNCTION public.stats_fast() RETURNS void LANGUAGE sql SECURITY DEFINER
              AS $$ INSERT INTO public.stats_calls (step) VALUES ('fast') $$;
            CREATE FUNCTION public.stats_slow() RETURNS void LANGUAGE sql SECURITY DEFINER
              AS $$ SELECT pg_sleep(0.3); INSERT INTO public.stats_calls (step) VALUES ('slow') $$;
            CREATE FUNCTION public.stats_broken() RETURNS void LANGUAGE plpgsql
              AS $$ BEGIN RAISE EXCEPTION 'broken step: the aggregate table is missing'; END $$;
            CREATE FUNCTION public.stats_flaky() RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$
            BEGIN
              IF nextval('public.stats_flaky_calls') % 2 = 1 THEN
                RAISE EXCEPTION 'flaky step: deadlock, try again';
              END IF;
              INSERT INTO public.stats_calls (step) VALUES ('flaky');
            END $$;
            GRANT EXECUTE ON FUNCTION public.stats_fast(), public.stats_slow(), public.stats_broken(), public.stats_flaky() TO jobqueue_app;
            """);
        receiver = await HttpReceiver.StartAsync();
        api = await ApiTestServer.StartAsync(db, settings: Settings(receiver.Url(invalidationPath)), logs: logs);
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await receiver.DisposeAsync();
        await db.DisposeAsync();
    }

    [Fact]
    public async Task A_failing_step_is_recorded_and_only_the_successful_steps_tags_are_invalidated()
    {
        var enqueued = await EnqueueAsync(new { triggeredBy = "post-match", matchId = 4711, userId = "user-9" });
        var id = enqueued.GetProperty("jobId").GetGuid();
        Assert.True(enqueued.GetProperty("success").GetBoolean());
        using var meters = new MeterCapture(api.Services);

        await RunAsync();

        // succeeded, but not to be mistaken for a success: outcome partial, the failed step named, a warning, a count
        var job = await JobAsync(id);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal("partial", job.GetProperty("outcome").GetString());
        Assert.StartsWith("1 of 4 steps failed: broken: ", job.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal("succeeded", job.GetProperty("attemptHistory")[0].GetProperty("outcome").GetString());
        Assert.Equal(job.GetProperty("lastError").GetString(), job.GetProperty("attemptHistory")[0].GetProperty("error").GetString());
        var warning = Assert.Single(logs.Records, r => r.EventId == 1007);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(id, warning.Properties["JobId"]);
        Assert.Equal(1, meters.Get("jobqueue.jobs.partial/stats_update"));
        var listed = await api.JsonAsync(HttpMethod.Get, "/api/admin/jobs?taskType=stats_update", null, Credentials.Admin, 200);
        Assert.Equal("partial", Assert.Single(listed.GetProperty("jobs").EnumerateArray(), j => j.GetProperty("id").GetGuid() == id)
            .GetProperty("outcome").GetString());
        var output = job.GetProperty("output");
        Assert.Equal("partial", output.GetProperty("status").GetString());
        Assert.Equal("4711", output.GetProperty("matchId").GetString());
        var steps = output.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(4, steps.Count);
        Assert.All(steps.Values, s => Assert.True(s.GetProperty("durationMs").GetInt64() >= 0));
        Assert.False(steps["broken"].GetProperty("success").GetBoolean());
        Assert.Equal(3, steps["broken"].GetProperty("attempts").GetInt32());
        Assert.Contains("broken step: the aggregate table is missing", steps["broken"].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(steps["flaky"].GetProperty("success").GetBoolean());
        Assert.Equal(2, steps["flaky"].GetProperty("attempts").GetInt32());
        Assert.Equal(1, steps["fast"].GetProperty("attempts").GetInt32());
        Assert.True(steps["slow"].GetProperty("durationMs").GetInt64() >= 300);
        Assert.Equal(JsonValueKind.Null, steps["fast"].GetProperty("error").ValueKind);
        Assert.Equal(new[] { "broken" }, output.GetProperty("failedSteps").EnumerateArray().Select(s => s.GetString()));

        var invalidation = Assert.Single(receiver.Requests(invalidationPath));
        Assert.Equal("Bearer " + Token, invalidation.Header("Authorization"));
        using var sent = JsonDocument.Parse(invalidation.Body);
        var tags = sent.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Order().ToList();
        Assert.Equal(new[] { "tag_a", "tag_b", "tag_c", "tag_shared" }, tags);
        Assert.Equal(id, sent.RootElement.GetProperty("jobId").GetGuid());
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM public.stats_calls"));

        // the timings an operator reads from the job record
        var timings = output.GetProperty("timings");
        var created = job.GetProperty("createdAt").GetDateTimeOffset();
        var started = job.GetProperty("startedAt").GetDateTimeOffset();
        Assert.Equal((long)(started - created).TotalMilliseconds, timings.GetProperty("enqueueToStartMs").GetInt64());
        var lastStep = timings.GetProperty("lastStepFinishedAt").GetDateTimeOffset();
        var invalidatedAt = timings.GetProperty("invalidatedAt").GetDateTimeOffset();
        Assert.True(invalidatedAt >= lastStep);
        Assert.Equal((long)(invalidatedAt - lastStep).TotalMilliseconds, timings.GetProperty("lastStepToInvalidationMs").GetInt64());
        Assert.True(invalidation.At >= lastStep.AddSeconds(-1));
        Assert.Equal("invalidated", output.GetProperty("invalidation").GetProperty("status").GetString());

        // the status table: trigger, status, started, completed, duration
        var run = await RunRowAsync(id);
        Assert.Equal("post-match", run.GetProperty("triggeredBy").GetString());
        Assert.Equal("4711", run.GetProperty("matchId").GetString());
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal("partial", run.GetProperty("outcome").GetString());
        Assert.Equal(job.GetProperty("lastError").GetString(), run.GetProperty("lastError").GetString());
        Assert.Equal("partial", run.GetProperty("result").GetString());
        Assert.Equal(started, run.GetProperty("startedAt").GetDateTimeOffset());
        var completed = run.GetProperty("completedAt").GetDateTimeOffset();
        Assert.Equal((long)(completed - started).TotalMilliseconds, run.GetProperty("durationMs").GetInt64());
        Assert.Equal(timings.GetProperty("enqueueToStartMs").GetInt64(), run.GetProperty("enqueueToStartMs").GetInt64());
        Assert.Equal(new[] { "broken" }, run.GetProperty("failedSteps").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(JsonValueKind.Null, run.GetProperty("retryOf").ValueKind);

        Assert.DoesNotContain(Token, job.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_match_triggers_join_a_pending_run_and_a_running_one_is_not_joined()
    {
        var first = await EnqueueAsync(new { triggeredBy = "post-match", matchId = "m-1" });
        var second = await EnqueueAsync(new { triggeredBy = "post-match", matchId = "m-2", requestId = "req-2" });
        var admin = await EnqueueAsync(new { triggeredBy = "admin", userId = "ops" });

        Assert.False(first.GetProperty("joined").GetBoolean());
        Assert.True(second.GetProperty("joined").GetBoolean());
        Assert.Equal(first.GetProperty("jobId").GetGuid(), second.GetProperty("jobId").GetGuid());
        Assert.NotEqual(first.GetProperty("jobId").GetGuid(), admin.GetProperty("jobId").GetGuid());
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE task_type = 'stats_update'"));

        // once the joined run has started, the next match gets a run of its own
        await db.ExecuteAsync("UPDATE job_queue SET status = 'processing', locked_by = 'elsewhere', locked_until = now() + interval '1 hour' WHERE id = $1",
            first.GetProperty("jobId").GetGuid());
        var third = await EnqueueAsync(new { triggeredBy = "post-match", matchId = "m-3" });
        Assert.False(third.GetProperty("joined").GetBoolean());
        Assert.NotEqual(first.GetProperty("jobId").GetGuid(), third.GetProperty("jobId").GetGuid());
        await db.ExecuteAsync("UPDATE job_queue SET status = 'cancelled', completed_at = now() WHERE task_type = 'stats_update'");
    }

    [Fact]
    public async Task Ten_triggers_during_a_run_queue_exactly_one_run_after_it_which_waits_for_the_first_to_finish()
    {
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT max_concurrency FROM job_queue_task_limits WHERE task_type = 'stats_update'"));
        var first = (await EnqueueAsync(new { triggeredBy = "post-match", matchId = "m-0" })).GetProperty("jobId").GetGuid();
        // the first run is running (claimed by another runner, which holds it until the test finishes it)
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue_claim(1, interval '1 hour', 'elsewhere')"));

        var triggers = await Task.WhenAll(Enumerable.Range(1, 10).Select(i => EnqueueAsync(new { triggeredBy = "post-match", matchId = $"m-{i}" })));
        var next = Assert.Single(triggers.Select(t => t.GetProperty("jobId").GetGuid()).Distinct());
        Assert.NotEqual(first, next);
        Assert.Equal(9, triggers.Count(t => t.GetProperty("joined").GetBoolean()));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE task_type = 'stats_update' AND status = 'pending'"));

        // the queued run does not start beside the running one, and says why
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue_claim(10, interval '5 minutes', 'other-runner')"));
        var waiting = await JobAsync(next);
        Assert.Equal("concurrency_limit", waiting.GetProperty("wait").GetProperty("reason").GetString());
        Assert.Equal("concurrency limit 1 of stats_update reached (1 running)", waiting.GetProperty("wait").GetProperty("message").GetString());

        await db.ExecuteAsync("SELECT count(*) FROM job_queue_complete('elsewhere', jsonb_build_array(jsonb_build_object('id', $1::uuid, 'succeeded', true)))", first);
        await RunAsync();
        Assert.Equal("succeeded", await db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", next));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE task_type = 'stats_update'"));
        Assert.True(await db.ScalarAsync<DateTime>("SELECT started_at FROM job_queue WHERE id = $1", next)
            >= await db.ScalarAsync<DateTime>("SELECT completed_at FROM job_queue WHERE id = $1", first));
    }

    [Fact]
    public async Task A_retry_of_a_failed_run_is_a_new_job_that_carries_retryOf()
    {
        var failed = await db.ScalarAsync<Guid>(
            "SELECT job_queue_enqueue('stats_update', '{\"triggeredBy\":\"cron\"}'::jsonb, now() + interval '1 day', 3)");
        var pending = await db.ScalarAsync<Guid>(
            "SELECT job_queue_enqueue('stats_update', '{\"triggeredBy\":\"cron\"}'::jsonb, now() + interval '1 day', 3)");
        await db.ExecuteAsync("UPDATE job_queue SET status = 'failed', completed_at = now(), last_error = 'every step failed' WHERE id = $1", failed);
        var before = await api.SnapshotAsync();

        var notFinished = await api.JsonAsync(HttpMethod.Post, "/api/admin/jobs/enqueue-stats-job",
            JsonSerializer.Serialize(new { triggeredBy = "admin", retryOf = pending }), Credentials.Admin, 400);
        Assert.True(notFinished.GetProperty("errors").TryGetProperty("retryOf", out _));
        var unknown = await api.JsonAsync(HttpMethod.Post, "/api/admin/jobs/enqueue-stats-job",
            JsonSerializer.Serialize(new { triggeredBy = "admin", retryOf = Guid.NewGuid() }), Credentials.Admin, 400);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("retryOf", out _));
        var badTrigger = await api.JsonAsync(HttpMethod.Post, "/api/admin/jobs/enqueue-stats-job",
            JsonSerializer.Serialize(new { triggeredBy = "webhook" }), Credentials.Admin, 400);
        Assert.True(badTrigger.GetProperty("errors").TryGetProperty("triggeredBy", out _));
        Assert.Equal(before, await api.SnapshotAsync());

        var retry = await EnqueueAsync(new { triggeredBy = "admin", retryOf = failed });
        var job = await JobAsync(retry.GetProperty("jobId").GetGuid());
        Assert.Equal(failed, job.GetProperty("payload").GetProperty("retryOf").GetGuid());
        Assert.Equal("pending", job.GetProperty("status").GetString());
        Assert.StartsWith("admin:admin:", job.GetProperty("triggeredBy").GetString(), StringComparison.Ordinal);

        // the status table links the failed run and its retry both ways
        var failedRow = await RunRowAsync(failed);
        Assert.Equal("failed", failedRow.GetProperty("status").GetString());
        Assert.Equal("every step failed", failedRow.GetProperty("lastError").GetString());
        Assert.Equal(retry.GetProperty("jobId").GetGuid(), failedRow.GetProperty("retriedBy").GetGuid());
        var retryRow = await RunRowAsync(retry.GetProperty("jobId").GetGuid());
        Assert.Equal(failed, retryRow.GetProperty("retryOf").GetGuid());
        Assert.Equal("admin", retryRow.GetProperty("triggeredBy").GetString());
        var badLimit = await api.JsonAsync(HttpMethod.Get, "/api/admin/stats-jobs?limit=0", null, Credentials.Admin, 400);
        Assert.True(badLimit.GetProperty("errors").TryGetProperty("limit", out _), badLimit.ToString());
        await db.ExecuteAsync("UPDATE job_queue SET status = 'cancelled', completed_at = now() WHERE task_type = 'stats_update' AND status = 'pending'");
    }

    [Fact]
    public async Task A_failed_invalidation_fails_the_job_for_a_retry()
    {
        var broken = NewPath("revalidate-down");
        receiver.Default(broken, new Reply(500, "cache service down"));
        await using var down = await ApiTestServer.StartAsync(db, settings: Settings(receiver.Url(broken)));
        var enqueued = await down.JsonAsync(HttpMethod.Post, "/api/admin/jobs/enqueue-stats-job", "{\"triggeredBy\":\"admin\"}", Credentials.Admin, 200);
        var id = enqueued.GetProperty("jobId").GetGuid();

        await down.JsonAsync(HttpMethod.Post, "/api/jobs/run", "{\"force\":true}", Credentials.Runner, 200);

        Assert.Equal(3, receiver.Requests(broken).Count);
        Assert.Equal("pending", await db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", id));
        var error = await db.ScalarAsync<string>("SELECT last_error FROM job_queue WHERE id = $1", id);
        Assert.Contains("cache invalidation: HTTP 500", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error, StringComparison.Ordinal);
        await db.ExecuteAsync("UPDATE job_queue SET status = 'cancelled', completed_at = now() WHERE id = $1", id);
    }

    [Fact]
    public async Task The_nightly_schedule_enqueues_a_cron_run_and_is_off_without_steps()
    {
        await api.Services.GetRequiredService<ScheduleRunner>().RunAsync(JobTypesBuilderExtensions.StatsUpdateNightly.Name, false, CancellationToken.None);
        var id = await db.ScalarAsync<Guid>("SELECT id FROM job_queue WHERE triggered_by = 'schedule:StatsUpdateNightly'");
        Assert.Equal("cron", await db.ScalarAsync<string>("SELECT payload ->> 'triggeredBy' FROM job_queue WHERE id = $1", id));
        Assert.Equal("standing:stats_update", await db.ScalarAsync<string>("SELECT dedupe_key FROM job_queue WHERE id = $1", id));
        await db.ExecuteAsync("UPDATE job_queue SET status = 'cancelled', completed_at = now() WHERE id = $1", id);

        await using var unconfigured = await ApiTestServer.StartAsync(db);
        var before = await unconfigured.SnapshotAsync();
        await unconfigured.Services.GetRequiredService<ScheduleRunner>().RunAsync(JobTypesBuilderExtensions.StatsUpdateNightly.Name, false, CancellationToken.None);
        Assert.Equal(before, await unconfigured.SnapshotAsync());
        using var refused = await unconfigured.SendAsync(HttpMethod.Post, "/api/admin/jobs/enqueue-stats-job", "{\"triggeredBy\":\"admin\"}", Credentials.Admin);
        Assert.Equal(503, (int)refused.StatusCode);
        Assert.Equal(before, await unconfigured.SnapshotAsync());
    }

    private static Dictionary<string, string?> Settings(string invalidationUrl) => new()
    {
        ["Pipelines:StatsUpdate:Steps:0:Name"] = "fast",
        ["Pipelines:StatsUpdate:Steps:0:Function"] = "public.stats_fast",
        ["Pipelines:StatsUpdate:Steps:0:CacheTags"] = "tag_a",
        ["Pipelines:StatsUpdate:Steps:1:Name"] = "slow",
        ["Pipelines:StatsUpdate:Steps:1:Function"] = "public.stats_slow",
        ["Pipelines:StatsUpdate:Steps:1:CacheTags"] = "tag_b, tag_shared",
        ["Pipelines:StatsUpdate:Steps:2:Name"] = "broken",
        ["Pipelines:StatsUpdate:Steps:2:Function"] = "public.stats_broken",
        ["Pipelines:StatsUpdate:Steps:2:CacheTags"] = "tag_broken",
        ["Pipelines:StatsUpdate:Steps:3:Name"] = "flaky",
        ["Pipelines:StatsUpdate:Steps:3:Function"] = "stats_flaky",
        ["Pipelines:StatsUpdate:Steps:3:CacheTags:0"] = "tag_c",
        ["Pipelines:StatsUpdate:Steps:3:CacheTags:1"] = "tag_shared",
        ["Pipelines:StatsUpdate:MaxParallelism"] = "2",
        ["Pipelines:StatsUpdate:StepRetryDelaySeconds"] = "0.05",
        ["Pipelines:StatsUpdate:CacheInvalidationUrl"] = invalidationUrl,
        // a busy machine may answer the loopback receiver's call late: no attempt timeout (and retry) for that
        ["Pipelines:StatsUpdate:CacheInvalidationTimeoutSeconds"] = "60",
        ["Secrets:stats-cache-invalidation-token"] = Token,
        ["HttpJobs:RetryBaseDelaySeconds"] = "0.05",
        ["HttpJobs:CircuitBreakerMinimumThroughput"] = "1000",
    };

    private Task<JsonElement> EnqueueAsync(object body) =>
        api.JsonAsync(HttpMethod.Post, "/api/admin/jobs/enqueue-stats-job", JsonSerializer.Serialize(body), Credentials.Admin, 200);

    private Task<JsonElement> RunAsync() => api.JsonAsync(HttpMethod.Post, "/api/jobs/run", "{\"force\":true}", Credentials.Runner, 200);

    private async Task<JsonElement> RunRowAsync(Guid id)
    {
        var table = await api.JsonAsync(HttpMethod.Get, "/api/admin/stats-jobs?limit=100", null, Credentials.Admin, 200);
        return Assert.Single(table.GetProperty("runs").EnumerateArray(), r => r.GetProperty("jobId").GetGuid() == id);
    }

    private Task<JsonElement> JobAsync(Guid id) => api.JsonAsync(HttpMethod.Get, $"/api/admin/jobs/{id}", null, Credentials.Admin, 200);
}
