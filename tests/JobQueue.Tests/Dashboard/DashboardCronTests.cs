using JobQueue.Cron;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace JobQueue.Tests.Dashboard;

/// <summary>The cron jobs page in the browser, on the cluster's real pg_cron: create (schedule checked as typed), toggle, reschedule, delete.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardCronTests(BrowserFixture browser)
{
    [Fact]
    public async Task Create_toggle_reschedule_and_delete_a_cron_job()
    {
        await using var s = await DashboardSession.StartAsync(browser);
        var prefix = CronTestDatabase.NewPrefix("d");
        var name = prefix + "echo";
        try
        {
            await s.SignInAsync();
            await s.GoAsync("#/cron", "Cron jobs");

            await s.Page.GetByLabel("Name").FillAsync(name);
            var schedule = s.Page.GetByLabel("Schedule", new() { Exact = true });
            await schedule.FillAsync("*/5 * * *");
            await Expect(s.Page.Locator("#cron-schedule-hint")).ToContainTextAsync("exactly 5 fields");
            await Expect(schedule).ToHaveAttributeAsync("aria-invalid", "true");
            await schedule.FillAsync("*/5 * * * 9");
            await Expect(s.Page.Locator("#cron-schedule-hint")).ToContainTextAsync("day of week");
            await schedule.FillAsync("*/5 * * * *");
            await Expect(s.Page.Locator("#cron-schedule-hint")).ToContainTextAsync("Every 5 minutes");
            await Expect(schedule).ToHaveAttributeAsync("aria-invalid", "false");
            await s.Page.GetByLabel("Task type").SelectOptionAsync(EchoHandler.Name);
            await s.Page.GetByLabel("Payload (JSON object)").FillAsync("{\"count\": 3}");
            await s.Page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

            var row = s.Page.Locator(".cron-table tbody tr").Filter(new() { HasText = name });
            await Expect(row).ToHaveCountAsync(1);
            await Expect(row).ToContainTextAsync("Every 5 minutes");
            await Expect(row).ToContainTextAsync(EchoHandler.Name);
            var toggle = row.GetByRole(AriaRole.Button, new() { Name = $"Enabled: {name}" });
            await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");
            Assert.True(CronJobOf(await s.ApiAsync(HttpMethod.Get, "/api/admin/cron-jobs"), name).GetProperty("active").GetBoolean());
            await s.ScreenshotAsync("08-cron-created");

            await toggle.ClickAsync();
            await Expect(row.GetByRole(AriaRole.Button, new() { Name = $"Enabled: {name}" })).ToHaveAttributeAsync("aria-pressed", "false");
            await Expect(row).ToContainTextAsync("disabled");
            Assert.False(CronJobOf(await s.ApiAsync(HttpMethod.Get, "/api/admin/cron-jobs"), name).GetProperty("active").GetBoolean());

            await row.GetByRole(AriaRole.Button, new() { Name = $"Reschedule {name}" }).ClickAsync();
            var dialog = s.Page.GetByRole(AriaRole.Dialog);
            var input = dialog.GetByLabel("New schedule");
            await input.FillAsync("15 3 * * *");
            await Expect(dialog.Locator(".hint")).ToContainTextAsync("Daily at 03:15 UTC");
            await s.ScreenshotAsync("09-cron-reschedule");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();
            await Expect(row).ToContainTextAsync("Daily at 03:15 UTC");
            Assert.Equal("15 3 * * *", CronJobOf(await s.ApiAsync(HttpMethod.Get, "/api/admin/cron-jobs"), name).GetProperty("schedule").GetString());

            await row.GetByRole(AriaRole.Button, new() { Name = $"Delete {name}" }).ClickAsync();
            await s.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
            await Expect(row).ToHaveCountAsync(0);
            Assert.DoesNotContain(
                (await s.ApiAsync(HttpMethod.Get, "/api/admin/cron-jobs")).GetProperty("jobs").EnumerateArray(),
                j => j.GetProperty("jobName").GetString() == name);
            s.AssertNoProblems();
        }
        finally
        {
            await CronTestDatabase.DeleteJobsAsync(s.Server.Services.GetRequiredService<CronJobStore>(), s.Db.Name, prefix);
        }
    }

    [Fact]
    public async Task Run_now_enqueues_the_schedules_job_once_audited_and_the_payload_expands()
    {
        await using var s = await DashboardSession.StartAsync(browser);
        var prefix = CronTestDatabase.NewPrefix("d");
        var name = prefix + "echo";
        try
        {
            await DashboardSeeds.CronJobsAsync(s, prefix);
            await s.SignInAsync();
            await s.GoAsync("#/cron", "Cron jobs");
            var row = s.Page.Locator(".cron-table tbody tr").Filter(new() { HasText = name });
            await Expect(row).ToHaveCountAsync(1);

            // the payload: one line, expanded on demand
            var fold = row.Locator("details.json-fold");
            await Expect(fold.Locator("pre")).ToBeHiddenAsync();
            await fold.Locator("summary").ClickAsync();
            await Expect(fold.Locator("pre")).ToContainTextAsync("\"count\": 2");

            await row.GetByRole(AriaRole.Button, new() { Name = $"Run now: {name}" }).ClickAsync();
            await Expect(s.Page.Locator(".toast").Last).ToContainTextAsync($"{name}: {EchoHandler.Name} job enqueued");
            Assert.Equal(1L, await s.Db.ScalarAsync<long>(
                "SELECT count(*) FROM job_queue WHERE task_type = $1 AND triggered_by = $2 AND payload = '{\"count\":2}'::jsonb AND status = 'pending'",
                EchoHandler.Name, $"admin-run:cron:{name}:admin-token"));
            // the schedule itself is unchanged
            Assert.Equal("15 3 * * *", CronJobOf(await s.ApiAsync(HttpMethod.Get, "/api/admin/cron-jobs"), name).GetProperty("schedule").GetString());
            await s.ScreenshotAsync("08b-cron-run-now");

            await s.GoAsync("#/audit", "Audit log");
            var entry = s.Page.Locator(".audit-table tbody tr").First;
            await Expect(entry).ToContainTextAsync("cron.run");
            await Expect(entry).ToContainTextAsync(name);
            await s.GoAsync("#/status", "Background Job Status");
            await Expect(s.Page.Locator(".status-table tbody tr").First).ToContainTextAsync($"Admin (token), ran pg_cron job {name} now");

            // an unknown name is refused and says so
            var missing = await s.Server.SendAsync(HttpMethod.Post, "/api/admin/cron-jobs/no-such-job-here/run", "{}", Credentials.Admin);
            Assert.Equal(404, (int)missing.StatusCode);
            s.AssertNoProblems();
        }
        finally
        {
            await CronTestDatabase.DeleteJobsAsync(s.Server.Services.GetRequiredService<CronJobStore>(), s.Db.Name, prefix);
        }
    }

    [Fact]
    public async Task A_refused_create_names_the_field_and_stores_nothing()
    {
        await using var s = await DashboardSession.StartAsync(browser);
        var prefix = CronTestDatabase.NewPrefix("d");
        await s.SignInAsync();
        await s.GoAsync("#/cron", "Cron jobs");
        await s.Page.GetByLabel("Name").FillAsync(prefix + "bad");
        await s.Page.GetByLabel("Schedule", new() { Exact = true }).FillAsync("*/5 * * * *");
        await s.Page.GetByLabel("Payload (JSON object)").FillAsync("[1, 2]");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(s.Page.Locator("#cron-create-status")).ToContainTextAsync("must be a JSON object");
        await s.Page.GetByLabel("Payload (JSON object)").FillAsync("{\"count\": 99}");
        await s.Page.GetByLabel("Task type").SelectOptionAsync(EchoHandler.Name);
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(s.Page.Locator("#cron-create-status")).ToContainTextAsync("payload.count");
        Assert.Equal("", await CronTestDatabase.SnapshotAsync(s.Db.Name, prefix));
        s.AssertNoProblems();
    }

    private static System.Text.Json.JsonElement CronJobOf(System.Text.Json.JsonElement list, string name) => DashboardBrowserTests.CronJob(list, name);
}
