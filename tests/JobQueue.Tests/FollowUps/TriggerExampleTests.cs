using JobQueue.Tests.Api;
using JobQueue.Tests.Functions;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.FollowUps;

/// <summary>
/// infra/examples/trial-reminder-trigger.sql applied to a test database: an insert enqueues the +24 h
/// reminder (deduplicated per user), whose success enqueues the +48 h pause check, run by the server app.
/// </summary>
public sealed class TriggerExampleTests : IAsyncLifetime
{
    private TestDatabase db = null!;
    private ApiTestServer api = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync(RepositoryFiles.Read("infra/examples/trial-reminder-trigger.sql"));
        api = await ApiTestServer.StartAsync(db, settings: new Dictionary<string, string?>
        {
            ["SqlJobs:AllowedFunctions"] = "public.example_trial_send_reminder,public.example_trial_pause_check",
        });
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await db.DisposeAsync();
    }

    [Fact]
    public async Task An_insert_enqueues_the_24_hour_reminder_whose_success_enqueues_the_48_hour_check()
    {
        await db.ExecuteAsync("INSERT INTO public.example_trials (user_id, email) VALUES ('u-1', 'u1@example.com')");
        await db.ExecuteAsync("INSERT INTO public.example_trials (user_id, email) VALUES ('u-1', 'again@example.com')");
        await db.ExecuteAsync("INSERT INTO public.example_trials (user_id, email) VALUES ('u-2', 'u2@example.com')");

        // one reminder per user while one is waiting, due 24 h after the insert
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE dedupe_key LIKE 'trial-reminder:%'"));
        var reminder = await db.ScalarAsync<Guid>("SELECT id FROM job_queue WHERE dedupe_key = 'trial-reminder:u-1'");
        Assert.Equal(24 * 3600, await db.ScalarAsync<double>("SELECT extract(epoch FROM run_at - created_at)::float8 FROM job_queue WHERE id = $1", reminder));
        Assert.Equal("trigger:example_trials", await db.ScalarAsync<string>("SELECT triggered_by FROM job_queue WHERE id = $1", reminder));

        // nothing is due yet
        await api.JsonAsync(HttpMethod.Post, "/api/jobs/run", "{\"force\":true}", Credentials.Runner, 200);
        Assert.Equal("pending", await db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", reminder));

        // a day later (run now): the reminder goes out and the pause check is enqueued for 48 h later
        await api.JsonAsync(HttpMethod.Post, $"/api/admin/jobs/{reminder}/run-now", null, Credentials.Admin, 200);
        await api.JsonAsync(HttpMethod.Post, "/api/jobs/run", "{\"force\":true}", Credentials.Runner, 200);

        Assert.Equal("succeeded", await db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", reminder));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM public.example_trials WHERE user_id = 'u-1' AND reminded_at IS NOT NULL"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM public.example_trials WHERE user_id = 'u-2' AND reminded_at IS NOT NULL"));
        var check = await db.ScalarAsync<Guid>("SELECT id FROM job_queue WHERE dedupe_key = 'trial-pause-check:u-1'");
        Assert.Equal("follow-up:" + reminder, await db.ScalarAsync<string>("SELECT triggered_by FROM job_queue WHERE id = $1", check));
        Assert.Equal(48 * 3600, await db.ScalarAsync<double>("SELECT extract(epoch FROM run_at - created_at)::float8 FROM job_queue WHERE id = $1", check));
        Assert.Equal(
            await db.ScalarAsync<DateTime>("SELECT completed_at FROM job_queue WHERE id = $1", reminder),
            await db.ScalarAsync<DateTime>("SELECT created_at FROM job_queue WHERE id = $1", check));

        // the user converts one trial; two days later the check pauses the other
        await db.ExecuteAsync("UPDATE public.example_trials SET converted_at = now() WHERE email = 'again@example.com'");
        await api.JsonAsync(HttpMethod.Post, $"/api/admin/jobs/{check}/run-now", null, Credentials.Admin, 200);
        await api.JsonAsync(HttpMethod.Post, "/api/jobs/run", "{\"force\":true}", Credentials.Runner, 200);

        Assert.Equal("succeeded", await db.ScalarAsync<string>("SELECT status FROM job_queue WHERE id = $1", check));
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT (output ->> 'result')::int FROM job_queue WHERE id = $1", check));
        Assert.Equal("u1@example.com", await db.ScalarAsync<string>("SELECT email FROM public.example_trials WHERE paused_at IS NOT NULL"));
    }
}
