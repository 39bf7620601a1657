using JobQueue.Cron;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace JobQueue.Tests.Dashboard;

/// <summary>
/// Every page at 1280x800 and 1920x1080, filled with long names, long URLs and long errors
/// (<see cref="DashboardSeeds.LongContentAsync"/>): nothing cut off (<see cref="LayoutProbe"/>: every
/// button inside the viewport's width and its container, no table wider than its box) and no
/// serious or critical accessibility violation (<see cref="AxeCore"/>). Screenshots of each page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardLayoutTests(BrowserFixture browser)
{
    public static TheoryData<int, int> Viewports => new() { { 1280, 800 }, { 1920, 1080 } };

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task Every_page_keeps_its_buttons_inside_the_viewport_and_their_boxes_and_passes_axe(int width, int height)
    {
        await using var s = await DashboardSession.StartAsync(browser, withAxe: true);
        var prefix = CronTestDatabase.NewPrefix("l");
        var problems = new List<string>();
        try
        {
            var (longError, partial) = await DashboardSeeds.LongContentAsync(s);
            await DashboardSeeds.CronJobsAsync(s, prefix);
            var longName = prefix + new string('n', 63 - prefix.Length);
            // an audit entry with a long target, and a job it enqueued with a long trigger
            await s.ApiAsync(HttpMethod.Post, $"/api/admin/cron-jobs/{longName}/run", "{}");
            await s.ApiAsync(HttpMethod.Put, "/api/admin/job-queue/settings", "{\"processingEnabled\":false,\"pausedReason\":\"" + new string('r', 200) + "\"}");
            await s.Page.SetViewportSizeAsync(width, height);

            await s.OpenAsync();
            await Expect(s.Page.GetByLabel("Admin token")).ToBeVisibleAsync();
            await CheckAsync(s, $"sign-in-{width}", problems);
            await s.SignInAsync();
            await Expect(s.Page.Locator("#chart-hour svg")).ToHaveCountAsync(2);
            await Expect(s.Page.Locator("#banner")).ToBeVisibleAsync();
            await CheckAsync(s, $"overview-{width}", problems);

            var pages = new (string Route, string Heading, string Name, string Ready)[]
            {
                ("#/jobs", "Jobs", "jobs", "#job-results .jobs-table"),
                ($"#/jobs/{longError}", "http_request", "job-long-error", "#error-h"),
                ($"#/jobs/{partial}", "stats_update", "job-partial-stats", "#steps-h"),
                ("#/status", "Background Job Status", "status", ".stats-table"),
                ("#/cron", "Cron jobs", "cron", ".cron-table"),
                ("#/audit", "Audit log", "audit", ".audit-table"),
            };
            foreach (var (route, heading, name, ready) in pages)
            {
                await s.GoAsync(route, heading);
                await Expect(s.Page.Locator(ready).First).ToBeVisibleAsync();
                await CheckAsync(s, $"{name}-{width}", problems);
            }

            // an expanded payload stays inside the cron table too
            await s.GoAsync("#/cron", "Cron jobs");
            await s.Page.Locator(".cron-table details.json-fold summary").First.ClickAsync();
            await Expect(s.Page.Locator(".cron-table details.json-fold[open] pre").First).ToBeVisibleAsync();
            await CheckAsync(s, $"cron-payload-open-{width}", problems);

            // and a dialog
            await s.Page.GetByRole(AriaRole.Button, new() { Name = $"Reschedule {longName}" }).ClickAsync();
            await Expect(s.Page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
            await CheckAsync(s, $"cron-dialog-{width}", problems);
            await s.Page.Keyboard.PressAsync("Escape");

            Assert.True(problems.Count == 0, string.Join("\n", problems));
            s.AssertNoProblems();
        }
        finally
        {
            await CronTestDatabase.DeleteJobsAsync(s.Server.Services.GetRequiredService<CronJobStore>(), s.Db.Name, prefix);
        }
    }

    private static async Task CheckAsync(DashboardSession s, string name, List<string> problems)
    {
        await s.ScreenshotAsync("20-layout-" + name);
        problems.AddRange((await LayoutProbe.ProblemsAsync(s.Page)).Select(p => $"{name}: {p}"));
        problems.AddRange((await AxeCore.SeriousViolationsAsync(s.Page)).Select(v => $"{name}: axe {v}"));
    }
}
