using JobQueue.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace JobQueue.Tests.Dashboard;

/// <summary>
/// The cut-over parity page in the browser, reached from the navigation: a converted job's new
/// schedule's attempts beside its old side, which (without Database:MigrationConnectionString) says
/// that it cannot be read rather than showing no runs.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardParityTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_parity_page_shows_the_new_attempts_and_says_why_the_old_runs_are_not_shown()
    {
        // no owner connection: the old side cannot be read, and the page says so
        await using var s = await DashboardSession.StartAsync(browser, new Dictionary<string, string?> { ["Database:MigrationConnectionString"] = "" });
        var prefix = CronTestDatabase.NewPrefix("dp");
        var oldName = prefix + "sync_game_platform_stats";
        var newName = oldName + "-jobqueue";
        await s.Db.ExecuteAsync(
            "INSERT INTO jobqueue.cutover_cron_jobs (old_jobid, old_jobname, old_username, old_database, old_command_md5, new_jobname, converted_at) " +
            "VALUES (-4711, $1, 'postgres', 'postgres', md5('x'), $2, now() - interval '1 hour')", oldName, newName);
        await DashboardSeeds.EchoAsync(s, triggeredBy: "pg_cron:" + newName);
        await DashboardSeeds.EchoAsync(s, fail: true, triggeredBy: "pg_cron:" + newName);
        await DashboardSeeds.RunAllDueAsync(s);

        await s.SignInAsync();
        await s.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Cut-over" }).ClickAsync();
        await Expect(s.Page.Locator("main h1")).ToHaveTextAsync("Cut-over parity");

        var section = s.Page.Locator("section.parity-job").Filter(new() { HasText = oldName });
        await Expect(section).ToHaveCountAsync(1);
        await Expect(section.Locator("h2")).ToContainTextAsync(newName);
        await Expect(s.Page.Locator("#parity-old-note")).ToContainTextAsync("Database:MigrationConnectionString");
        await Expect(section.Locator(".parity-unreadable")).ToContainTextAsync("not readable");
        var attempts = section.GetByRole(AriaRole.Table).Last.Locator("tbody tr");
        await Expect(attempts).ToHaveCountAsync(2);
        await Expect(attempts.Filter(new() { HasText = "succeeded" })).ToHaveCountAsync(1);
        await Expect(attempts.Filter(new() { HasText = "asked to fail" })).ToHaveCountAsync(1);
        await s.ScreenshotAsync("12-cutover-parity");
        s.AssertNoProblems();
    }
}
