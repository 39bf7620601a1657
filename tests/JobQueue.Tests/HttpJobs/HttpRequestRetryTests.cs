using System.Diagnostics;
using System.Text.Json;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using static JobQueue.Tests.Infrastructure.HttpReceiver;

namespace JobQueue.Tests.HttpJobs;

/// <summary>
/// Retries inside one attempt of <c>http_request</c> jobs, against a receiver on loopback that answers
/// 5xx, 429 or nothing in time: only a request that may be sent again is repeated (GET, HEAD, PUT,
/// DELETE, or one with an idempotency key, which every try carries); a POST without a key reaches the
/// receiver once per attempt; <c>timeoutSeconds</c> bounds the whole attempt, retries and waits included.
/// </summary>
public sealed class HttpRequestRetryTests(HttpJobsFixture fixture) : IClassFixture<HttpJobsFixture>
{
    /// <summary>Slack over a timeout for a loaded 2-core machine; the old per-try timeout took 3 x timeoutSeconds and more.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    private HttpReceiver Receiver => fixture.Receiver;

    [Theory]
    [InlineData("GET", 2)]
    [InlineData("HEAD", 2)]
    [InlineData("PUT", 2)]
    [InlineData("DELETE", 2)]
    [InlineData("POST", 1)]
    [InlineData("PATCH", 1)]
    public async Task A_500_is_retried_inside_the_attempt_only_for_idempotent_methods(string method, int requests)
    {
        var path = NewPath("flaky-" + method.ToLowerInvariant());
        Receiver.Script(path, new Reply(500, "boom"), new Reply(200, "fine"));
        var id = await fixture.EnqueueAsync("http_request", new { url = Receiver.Url(path), method });

        await fixture.RunAsync();

        Assert.Equal(requests, Receiver.Requests(path).Count);
        Assert.All(Receiver.Requests(path), r => Assert.Equal(method, r.Method));
        var job = await fixture.JobAsync(id);
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        if (requests == 2)
        {
            Assert.Equal("succeeded", job.GetProperty("status").GetString());
            Assert.Equal(2, job.GetProperty("output").GetProperty("requests").GetInt32());
        }
        else
        {
            // the attempt failed; the queue's retry (a minute later here) decides
            Assert.Equal("pending", job.GetProperty("status").GetString());
            Assert.Contains("HTTP 500", job.GetProperty("lastError").GetString(), StringComparison.Ordinal);
            Assert.Contains("after 1 requests", job.GetProperty("lastError").GetString(), StringComparison.Ordinal);
            await CancelAsync(id);
        }
    }

    [Fact]
    public async Task A_POST_without_an_idempotency_key_that_gets_a_503_or_times_out_is_received_once_per_attempt()
    {
        var unavailable = NewPath("post-503");
        Receiver.Default(unavailable, new Reply(503, "try again"));
        var silent = NewPath("post-silent");
        Receiver.Default(silent, new Reply(200, "too late", Delay: TimeSpan.FromMinutes(5)));
        var refused = await fixture.EnqueueAsync("http_request", new { url = Receiver.Url(unavailable), body = new { invoice = 42 } });
        var timedOut = await fixture.EnqueueAsync("http_request", new { url = Receiver.Url(silent), body = new { sms = "hello" }, timeoutSeconds = 1 });

        await fixture.RunAsync();

        Assert.Single(Receiver.Requests(unavailable));
        Assert.Single(Receiver.Requests(silent));
        Assert.Contains("HTTP 503", (await fixture.JobAsync(refused)).GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Contains("timed out after 1 s (1 requests)", (await fixture.JobAsync(timedOut)).GetProperty("lastError").GetString(), StringComparison.Ordinal);

        // the queue's retry is the second attempt, and the second request
        await fixture.Db.ExecuteAsync("UPDATE job_queue SET run_at = now() WHERE id = ANY($1)", new[] { refused, timedOut });
        await fixture.RunAsync();

        Assert.Equal(2, Receiver.Requests(unavailable).Count);
        Assert.Equal(2, Receiver.Requests(silent).Count);
        Assert.Equal(2, (await fixture.JobAsync(refused)).GetProperty("attempts").GetInt32());
        Assert.Equal(2, (await fixture.JobAsync(timedOut)).GetProperty("attempts").GetInt32());
        await CancelAsync(refused);
        await CancelAsync(timedOut);
    }

    [Fact]
    public async Task A_POST_with_an_idempotency_key_is_retried_and_every_try_carries_the_same_key()
    {
        const string key = "invoice-2026-12-07-42";
        var path = NewPath("keyed");
        Receiver.Script(path, new Reply(503, "busy"), new Reply(500, "boom"), new Reply(200, "done"));
        var id = await fixture.EnqueueAsync("http_request", new { url = Receiver.Url(path), body = new { invoice = 42 }, idempotencyKey = key });

        await fixture.RunAsync();

        var tries = Receiver.Requests(path);
        Assert.Equal(3, tries.Count);
        Assert.All(tries, r =>
        {
            Assert.Equal("POST", r.Method);
            Assert.Equal(key, r.Header("Idempotency-Key"));
            Assert.Equal("{\"invoice\":42}", r.Body);
        });
        var job = await fixture.JobAsync(id);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal(3, job.GetProperty("output").GetProperty("requests").GetInt32());
    }

    [Fact]
    public async Task A_GET_whose_receiver_never_answers_ends_at_timeoutSeconds()
    {
        var path = NewPath("never");
        Receiver.Default(path, new Reply(200, "never in time", Delay: TimeSpan.FromMinutes(5)));
        var id = await fixture.EnqueueAsync("http_request", new { url = Receiver.Url(path), method = "GET", timeoutSeconds = 2 });

        var ran = Stopwatch.StartNew();
        await fixture.RunAsync();
        ran.Stop();

        Assert.True(ran.Elapsed < TimeSpan.FromSeconds(2) + Slack, $"the pass took {ran.Elapsed.TotalSeconds:F1} s for timeoutSeconds 2");
        var duration = await AttemptDurationAsync(id);
        Assert.InRange(duration, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(2) + Slack);
        // the timeout is the attempt's: no try after it
        Assert.Single(Receiver.Requests(path));
        var job = await fixture.JobAsync(id);
        Assert.Equal("pending", job.GetProperty("status").GetString());
        Assert.Contains("timed out after 2 s (1 requests)", job.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        await CancelAsync(id);
    }

    [Fact]
    public async Task Retries_and_their_waits_stay_within_timeoutSeconds()
    {
        var path = NewPath("slow-503");
        Receiver.Default(path, new Reply(503, "busy", Delay: TimeSpan.FromMilliseconds(800)));
        var id = await fixture.EnqueueAsync("http_request", new { url = Receiver.Url(path), method = "GET", timeoutSeconds = 2 });

        await fixture.RunAsync();

        // 0.8 s a try: the second fits, the third is cut by the attempt's timeout (MaxRetries 2 would allow 3 full tries, 2.4 s)
        Assert.InRange(Receiver.Requests(path).Count, 2, 3);
        Assert.InRange(await AttemptDurationAsync(id), TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(2) + Slack);
        Assert.Contains("timed out after 2 s", (await fixture.JobAsync(id)).GetProperty("lastError").GetString(), StringComparison.Ordinal);
        await CancelAsync(id);
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_waited_for_before_the_retry()
    {
        var path = NewPath("limited");
        Receiver.Script(path, new Reply(429, "slow down", new Dictionary<string, string> { ["Retry-After"] = "1" }), new Reply(200, "ok"));
        var id = await fixture.EnqueueAsync("http_request", new { url = Receiver.Url(path), method = "GET" });

        await fixture.RunAsync();

        var requests = Receiver.Requests(path);
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(900),
            $"the retry came {(requests[1].At - requests[0].At).TotalMilliseconds} ms after the 429 with Retry-After: 1");
        Assert.Equal("succeeded", (await fixture.JobAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_bound_schedules_the_next_attempt_no_earlier()
    {
        var path = NewPath("busy");
        Receiver.Default(path, new Reply(503, "maintenance", new Dictionary<string, string> { ["Retry-After"] = "600" }));
        var id = await fixture.EnqueueAsync("http_request", new { url = Receiver.Url(path), method = "GET" });

        await fixture.RunAsync();

        Assert.Single(Receiver.Requests(path));
        var job = await fixture.JobAsync(id);
        Assert.Equal("pending", job.GetProperty("status").GetString());
        Assert.Contains("HTTP 503", job.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        var wait = await fixture.Db.ScalarAsync<double>("SELECT extract(epoch FROM run_at - updated_at)::float8 FROM job_queue WHERE id = $1", id);
        Assert.InRange(wait, 599, 601);
        await CancelAsync(id);
    }

    [Fact]
    public async Task A_Retry_After_past_the_attempts_timeout_is_not_waited_for()
    {
        var path = NewPath("later");
        // within HttpJobs:MaxRetryAfterSeconds (5 here), but not within timeoutSeconds
        Receiver.Default(path, new Reply(503, "later", new Dictionary<string, string> { ["Retry-After"] = "4" }));
        var id = await fixture.EnqueueAsync("http_request", new { url = Receiver.Url(path), method = "GET", timeoutSeconds = 2 });

        await fixture.RunAsync();

        Assert.Single(Receiver.Requests(path));
        Assert.True(await AttemptDurationAsync(id) < TimeSpan.FromSeconds(2), "the attempt waited for a Retry-After it had no time for");
        Assert.Contains("(Retry-After 4 s)", (await fixture.JobAsync(id)).GetProperty("lastError").GetString(), StringComparison.Ordinal);
        await CancelAsync(id);
    }

    [Fact]
    public async Task Enqueue_refuses_a_bad_idempotency_key_and_a_timeout_past_the_runners_budget()
    {
        var before = await fixture.Api.SnapshotAsync();
        var cases = new (object Payload, string Field)[]
        {
            (new { url = "https://api.example.test/x", idempotencyKey = "" }, "payload.idempotencyKey"),
            (new { url = "https://api.example.test/x", idempotencyKey = "has space" }, "payload.idempotencyKey"),
            (new { url = "https://api.example.test/x", idempotencyKey = "line\nbreak" }, "payload.idempotencyKey"),
            (new { url = "https://api.example.test/x", idempotencyKey = new string('k', 256) }, "payload.idempotencyKey"),
            (new { url = "https://api.example.test/x", idempotencyKey = "a", headers = new Dictionary<string, string> { ["idempotency-key"] = "b" } }, "payload.idempotencyKey"),
            // Runner:TimeBudgetSeconds is 180: an attempt of 181 s could not finish within a pass
            (new { url = "https://api.example.test/x", timeoutSeconds = 181 }, "payload.timeoutSeconds"),
        };

        foreach (var (payload, field) in cases)
        {
            var body = JsonSerializer.Serialize(new { taskType = "http_request", payload });
            var problem = await fixture.Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", body, Credentials.Admin, 400);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var reasons), problem.ToString());
            Assert.False(string.IsNullOrEmpty(reasons[0].GetString()));
        }

        Assert.Equal(before, await fixture.Api.SnapshotAsync());
    }

    private async Task<TimeSpan> AttemptDurationAsync(Guid id) =>
        TimeSpan.FromMilliseconds(await fixture.Db.ScalarAsync<int>("SELECT duration_ms FROM job_queue_attempts WHERE job_id = $1 ORDER BY id DESC LIMIT 1", id));

    /// <summary>A job left pending for the queue's retry is cancelled, so that no later pass of this class runs it.</summary>
    private Task CancelAsync(Guid id) => fixture.Db.ExecuteAsync("UPDATE job_queue SET status = 'cancelled', completed_at = now() WHERE id = $1", id);
}
