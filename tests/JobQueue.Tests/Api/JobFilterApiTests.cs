using System.Net;
using System.Text.Json;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Api;

/// <summary>The job list's time window and payload text, and bulk retry / cancel by the same filter.</summary>
public sealed class JobFilterApiTests : ApiServerTest
{
    [Fact]
    public async Task The_list_filters_by_creation_time_and_payload_text_with_wildcards_taken_literally()
    {
        var old = await InsertAsync("{\"coach\":\"alice\"}", "failed", "now() - interval '3 days'");
        var mid = await InsertAsync("{\"coach\":\"Bob_100%\"}", "failed", "now() - interval '2 days'");
        var recent = await InsertAsync("{\"coach\":\"bob-1000\"}", "pending", "now() - interval '1 hour'");

        Assert.Equal([recent, mid, old], await IdsAsync(""));
        var twoAndHalfDaysAgo = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-2.5).ToString("O"));
        var dayAgo = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"));
        Assert.Equal([recent, mid], await IdsAsync($"createdAfter={twoAndHalfDaysAgo}"));
        Assert.Equal([mid], await IdsAsync($"createdAfter={twoAndHalfDaysAgo}&createdBefore={dayAgo}"));
        Assert.Equal([recent, mid], await IdsAsync("q=BOB"));
        Assert.Equal([mid], await IdsAsync("q=" + Uri.EscapeDataString("b_1")));
        Assert.Equal([mid], await IdsAsync("q=" + Uri.EscapeDataString("100%")));
        Assert.Empty(await IdsAsync("q=" + Uri.EscapeDataString("%%")));
        Assert.Equal([mid], await IdsAsync("q=bob&status=failed"));
    }

    [Theory]
    [InlineData("createdAfter=yesterday", "createdAfter")]
    [InlineData("createdAfter=2030-01-01T00:00:00", "createdAfter")]
    [InlineData("createdAfter=2030-01-02T00:00:00Z&createdBefore=2030-01-01T00:00:00Z", "createdBefore")]
    [InlineData("status=done", "status")]
    [InlineData("q=%00", "q")]
    public async Task Bad_filters_get_400_naming_the_field(string query, string field)
    {
        var problem = await Api.JsonAsync(HttpMethod.Get, "/api/admin/jobs?" + query, null, Credentials.Admin, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_payload_text_over_200_characters_is_refused()
    {
        var problem = await Api.JsonAsync(HttpMethod.Get, "/api/admin/jobs?q=" + new string('x', 201), null, Credentials.Admin, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("q", out _));
    }

    [Fact]
    public async Task Bulk_retry_counts_in_a_dry_run_then_retries_only_what_matches()
    {
        var a = await InsertAsync("{\"coach\":\"a\"}", "failed", "now() - interval '1 hour'", "work");
        var b = await InsertAsync("{\"coach\":\"b\"}", "cancelled", "now() - interval '1 hour'", "work");
        var other = await InsertAsync("{\"coach\":\"c\"}", "failed", "now() - interval '1 hour'", "other");
        await InsertAsync("{\"coach\":\"d\"}", "succeeded", "now() - interval '1 hour'", "work");
        var before = await Api.SnapshotAsync();

        var dry = await Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs/bulk-retry", "{\"taskType\":\"work\",\"dryRun\":true}", Credentials.Admin, 200);
        Assert.Equal(2, dry.GetProperty("matched").GetInt64());
        Assert.Equal(0, dry.GetProperty("changed").GetInt32());
        Assert.True(dry.GetProperty("dryRun").GetBoolean());
        Assert.Equal(before, await Api.SnapshotAsync());

        var done = await Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs/bulk-retry", "{\"taskType\":\"work\"}", Credentials.Admin, 200);
        Assert.Equal(2, done.GetProperty("matched").GetInt64());
        Assert.Equal(2, done.GetProperty("changed").GetInt32());
        Assert.False(done.GetProperty("limited").GetBoolean());
        Assert.Equal("pending", await StatusAsync(a));
        Assert.Equal("pending", await StatusAsync(b));
        Assert.Equal("failed", await StatusAsync(other));
        Assert.Equal(0, await Db.ScalarAsync<int>("SELECT attempts FROM job_queue WHERE id = $1", a));
        Assert.Equal("admin:admin-token", await Db.ScalarAsync<string>("SELECT triggered_by FROM job_queue WHERE id = $1", a));

        // a status that cannot be retried matches nothing
        var none = await Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs/bulk-retry", "{\"status\":\"pending\"}", Credentials.Admin, 200);
        Assert.Equal(0, none.GetProperty("matched").GetInt64());
    }

    [Fact]
    public async Task Bulk_retry_never_makes_two_live_jobs_of_one_dedupe_key()
    {
        var older = await InsertAsync("{}", "failed", "now() - interval '2 hours'", "work", "key-1");
        var newer = await InsertAsync("{}", "failed", "now() - interval '1 hour'", "work", "key-1");
        var blocked = await InsertAsync("{}", "failed", "now() - interval '1 hour'", "work", "key-2");
        await InsertAsync("{}", "pending", "now()", "work", "key-2");

        var done = await Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs/bulk-retry", "{\"status\":\"failed\"}", Credentials.Admin, 200);
        Assert.Equal(3, done.GetProperty("matched").GetInt64());
        Assert.Equal(1, done.GetProperty("changed").GetInt32());
        Assert.Equal("pending", await StatusAsync(newer));
        Assert.Equal("failed", await StatusAsync(older));
        Assert.Equal("failed", await StatusAsync(blocked));
    }

    [Fact]
    public async Task Bulk_cancel_cancels_pending_and_processing_jobs_and_records_the_running_attempt()
    {
        var pending = await InsertAsync("{\"batch\":7}", "pending", "now()");
        var processing = await InsertAsync("{\"batch\":7}", "pending", "now()");
        var untouched = await InsertAsync("{\"batch\":8}", "pending", "now()");
        await Db.ExecuteAsync("UPDATE job_queue SET status = 'processing', attempts = 1, locked_by = 'r1', locked_until = now() + interval '5 minutes', started_at = now() WHERE id = $1", processing);

        var done = await Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs/bulk-cancel", "{\"q\":\"7\",\"reason\":\"bad batch\"}", Credentials.Admin, 200);
        Assert.Equal(2, done.GetProperty("matched").GetInt64());
        Assert.Equal(2, done.GetProperty("changed").GetInt32());
        Assert.Equal("cancelled", await StatusAsync(pending));
        Assert.Equal("cancelled", await StatusAsync(processing));
        Assert.Equal("pending", await StatusAsync(untouched));
        Assert.Contains("bad batch", await Db.ScalarAsync<string>("SELECT last_error FROM job_queue WHERE id = $1", processing), StringComparison.Ordinal);
        Assert.Equal("cancelled", await Db.ScalarAsync<string>("SELECT outcome FROM job_queue_attempts WHERE job_id = $1", processing));
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM job_queue_attempts WHERE job_id = $1", pending));
    }

    [Theory]
    [InlineData("{\"status\":\"done\"}", "status")]
    [InlineData("{\"createdAfter\":\"soon\"}", "createdAfter")]
    [InlineData("{\"dryRun\":\"yes\"}", "dryRun")]
    [InlineData("{\"q\":42}", "q")]
    public async Task Bad_bulk_requests_get_400_and_change_nothing(string body, string field)
    {
        await InsertAsync("{}", "failed", "now()");
        var before = await Api.SnapshotAsync();
        var problem = await Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs/bulk-retry", body, Credentials.Admin, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await Api.SnapshotAsync());
    }

    private Task<Guid> InsertAsync(string payload, string status, string createdAt, string taskType = "test_echo", string? dedupeKey = null) =>
        Db.ScalarAsync<Guid>(
            $"INSERT INTO job_queue (task_type, payload, status, created_at, completed_at, dedupe_key) " +
            $"VALUES ($1, $2::jsonb, $3, {createdAt}, CASE WHEN $3 IN ('failed', 'cancelled', 'succeeded') THEN now() END, $4) RETURNING id",
            taskType, payload, status, (object?)dedupeKey ?? DBNull.Value);

    private Task<string> StatusAsync(Guid id) => Db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", id);

    private async Task<List<Guid>> IdsAsync(string query)
    {
        var page = await Api.JsonAsync(HttpMethod.Get, "/api/admin/jobs?" + query, null, Credentials.Admin, 200);
        return page.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetGuid()).ToList();
    }
}
