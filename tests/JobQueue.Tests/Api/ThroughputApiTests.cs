using JobQueue.Handlers;
using JobQueue.Queue;
using JobQueue.Runner;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Api;

/// <summary>Attempts per minute (jobqueue.count_job_attempts and jobqueue.job_queue_throughput, Database/Schema/functions/monitoring/): counted as attempts are written, read by window, compacted and pruned by the cleanup.</summary>
public sealed class ThroughputApiTests : ApiServerTest
{
    [Fact]
    public async Task Finished_attempts_appear_in_the_current_minute_of_both_windows()
    {
        for (var i = 0; i < 3; i++)
        {
            await Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", "{\"taskType\":\"test_echo\"}", Credentials.Admin, 201);
        }

        await Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", "{\"taskType\":\"test_echo\",\"payload\":{\"fail\":true},\"maxAttempts\":2}", Credentials.Admin, 201);
        await Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", "{\"taskType\":\"test_echo\",\"payload\":{\"fail\":true},\"maxAttempts\":1}", Credentials.Admin, 201);
        await Api.Services.GetRequiredService<JobRunner>().RunPassAsync(new RunPassRequest(10, Force: true));

        var hour = await Api.JsonAsync(HttpMethod.Get, "/api/admin/job-queue/throughput?window=hour", null, Credentials.Admin, 200);
        Assert.Equal("hour", hour.GetProperty("window").GetString());
        var minutes = hour.GetProperty("minutes").EnumerateArray().ToList();
        Assert.Equal(60, minutes.Count);
        Assert.True(minutes.Zip(minutes.Skip(1)).All(p => p.Second.GetProperty("at").GetDateTimeOffset() - p.First.GetProperty("at").GetDateTimeOffset() == TimeSpan.FromMinutes(1)));
        Assert.Equal(3, minutes.Sum(m => m.GetProperty("succeeded").GetInt64()));
        Assert.Equal(1, minutes.Sum(m => m.GetProperty("retried").GetInt64()));
        Assert.Equal(1, minutes.Sum(m => m.GetProperty("failed").GetInt64()));
        Assert.True(DateTimeOffset.UtcNow - minutes[^1].GetProperty("at").GetDateTimeOffset() < TimeSpan.FromMinutes(2));

        var day = await Api.JsonAsync(HttpMethod.Get, "/api/admin/job-queue/throughput?window=day", null, Credentials.Admin, 200);
        var dayMinutes = day.GetProperty("minutes").EnumerateArray().ToList();
        Assert.Equal(1440, dayMinutes.Count);
        Assert.Equal(3, dayMinutes.Sum(m => m.GetProperty("succeeded").GetInt64()));
    }

    [Fact]
    public async Task A_window_other_than_hour_or_day_is_a_400()
    {
        var problem = await Api.JsonAsync(HttpMethod.Get, "/api/admin/job-queue/throughput?window=week", null, Credentials.Admin, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("window", out _));
    }

    [Fact]
    public async Task The_cleanup_folds_old_minutes_into_one_row_and_deletes_those_past_the_retention()
    {
        // attempts written in several statements (several shards) two hours ago, and 100 days ago
        var minute = await Db.ScalarAsync<DateTime>("SELECT date_trunc('minute', now()) - interval '2 hours'");
        for (var i = 0; i < 6; i++)
        {
            await Db.ExecuteAsync("INSERT INTO job_queue_attempts (job_id, attempt, started_at, finished_at, outcome) " +
                                  "VALUES (gen_random_uuid(), 1, $1, $1, 'succeeded')", minute);
        }

        await Db.ExecuteAsync("INSERT INTO job_queue_attempts (job_id, attempt, started_at, finished_at, outcome) " +
                              "VALUES (gen_random_uuid(), 1, now() - interval '100 days', now() - interval '100 days', 'failed')");
        var store = Api.Services.GetRequiredService<QueueThroughputStore>();
        Assert.Equal(6, (await store.GetAsync(TimeSpan.FromHours(3))).Sum(m => m.Succeeded));

        var cleanup = await Api.JsonAsync(HttpMethod.Post, "/api/admin/jobs", $"{{\"taskType\":\"{CleanupHandler.Name}\"}}", Credentials.Admin, 201);
        await Api.Services.GetRequiredService<JobRunner>().RunPassAsync(new RunPassRequest(1, Force: true));
        var output = await Db.ScalarAsync<string>("SELECT output::text FROM job_queue WHERE id = $1", cleanup.GetProperty("jobId").GetGuid());
        Assert.Contains("\"deletedThroughputMinutes\": 1", output, StringComparison.Ordinal);

        // the same figure for that minute (the cleanup's own attempt is in the current one)
        var thatMinute = (await store.GetAsync(TimeSpan.FromHours(3))).Single(m => m.At.UtcDateTime == minute);
        Assert.Equal(6, thatMinute.Succeeded);
        Assert.Equal(1L, await Db.ScalarAsync<long>("SELECT count(*) FROM job_queue_minute_counts WHERE minute = $1", minute));
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM job_queue_minute_counts WHERE minute < now() - interval '90 days'"));
    }
}
