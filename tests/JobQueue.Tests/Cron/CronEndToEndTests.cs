using JobQueue.Cron;

namespace JobQueue.Tests.Cron;

/// <summary>The one test that waits for pg_cron itself to fire a schedule (up to about a minute).</summary>
public sealed class CronEndToEndTests(CronFixture fx) : IClassFixture<CronFixture>
{
    [Fact]
    public async Task Pg_cron_fires_a_created_schedule_and_the_job_appears_in_the_app_database()
    {
        var name = fx.Name("fires");
        var job = await fx.Store.CreateAsync(new CronJobDefinition(name, "* * * * *", "e2e_probe", """{"n":1}""", 2, "probe"));

        var deadline = DateTime.UtcNow.AddSeconds(75);
        long count = 0;
        while (DateTime.UtcNow < deadline && count == 0)
        {
            await Task.Delay(1000);
            count = await fx.App.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE task_type = 'e2e_probe'");
        }

        Assert.Equal(1L, count);
        Assert.True(await fx.App.ScalarAsync<bool>(
            "SELECT payload = '{\"n\":1}'::jsonb AND max_attempts = 2 AND dedupe_key = 'probe' AND triggered_by = $1 FROM job_queue WHERE task_type = 'e2e_probe'",
            "pg_cron:" + name));

        // pg_cron records the run in its history, which the runs wrapper shows
        CronJobRun? run = null;
        while (DateTime.UtcNow < deadline.AddSeconds(10) && run?.Status != "succeeded")
        {
            run = (await fx.Store.GetRunsAsync(200)).FirstOrDefault(r => r.JobId == job.JobId);
            if (run?.Status != "succeeded")
            {
                await Task.Delay(200);
            }
        }

        Assert.Equal("succeeded", run?.Status);
        Assert.Equal(name, run!.JobName);
        Assert.Equal("succeeded", Assert.Single(await fx.Store.GetJobsAsync(), j => j.Name == name).LastRun?.Status);
        await fx.Store.DeleteAsync(name);
    }
}
