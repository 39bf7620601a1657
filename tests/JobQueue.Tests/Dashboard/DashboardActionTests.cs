using JobQueue.Tests.Api;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace JobQueue.Tests.Dashboard;

/// <summary>
/// The stats pipeline's actions on the status page (start a run, retry a partial or failed run, the
/// failed steps), the one-line summaries and triggers in words, long errors cut in lists and whole on
/// the job page, and the live updates (every few seconds while visible, pausable, without a reload).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardActionTests(BrowserFixture browser)
{
    /// <summary>A configured stats pipeline (its function is never called: no runner runs in these tests).</summary>
    private static readonly Dictionary<string, string?> StatsSteps = new()
    {
        ["Pipelines:StatsUpdate:Steps:0:Name"] = "totals",
        ["Pipelines:StatsUpdate:Steps:0:Function"] = "public.stats_totals",
    };

    [Fact]
    public async Task The_status_page_starts_a_stats_run_shows_failed_steps_and_retries_a_partial_run()
    {
        await using var s = await DashboardSession.StartAsync(browser, StatsSteps);
        var (_, partial) = await DashboardSeeds.LongContentAsync(s);
        await s.SignInAsync();
        await s.GoAsync("#/status", "Background Job Status");

        var runs = s.Page.Locator(".stats-table tbody tr");
        await Expect(runs).ToHaveCountAsync(2);
        var partialRow = runs.Filter(new() { HasText = "post-match" });
        await Expect(partialRow.Locator(".badge")).ToHaveTextAsync(new[] { "succeeded", "partial" });
        await Expect(partialRow).ToContainTextAsync("season_totals_with_a_long_step_name");
        var failedRow = runs.Filter(new() { HasText = "cron" });
        await Expect(failedRow.Locator(".badge")).ToHaveTextAsync("failed");
        await Expect(failedRow.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToBeVisibleAsync();
        await s.ScreenshotAsync("14-stats-runs");

        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Start a stats run" }).ClickAsync();
        await Expect(s.Page.Locator(".toast").Last).ToContainTextAsync("stats_update job enqueued (admin)");
        await Expect(runs).ToHaveCountAsync(3);
        Assert.Equal(1L, await s.Db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE task_type = 'stats_update' AND payload->>'triggeredBy' = 'admin' AND payload->>'retryOf' IS NULL"));

        await partialRow.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(partialRow).ToContainTextAsync("retried");
        await Expect(runs).ToHaveCountAsync(4);
        Assert.Equal(1L, await s.Db.ScalarAsync<long>("SELECT count(*) FROM job_queue WHERE task_type = 'stats_update' AND payload->>'retryOf' = $1", partial.ToString()));
        var audit = await s.ApiAsync(HttpMethod.Get, "/api/admin/audit?action=job.enqueue-stats");
        Assert.Equal(2, audit.GetProperty("entries").GetArrayLength());

        // the run's own page: both badges and its steps, the failed one marked
        await s.GoAsync($"#/jobs/{partial}", "stats_update");
        await Expect(s.Page.Locator("main h1 .badge")).ToHaveTextAsync(new[] { "succeeded", "partial" });
        await Expect(s.Page.Locator("#steps-failed")).ToHaveTextAsync("1 failed");
        await Expect(s.Page.Locator(".steps-table tbody tr").Filter(new() { HasText = "season_totals_with_a_long_step_name" }).Locator(".badge")).ToHaveTextAsync("failed");
        await s.ScreenshotAsync("15-stats-run-steps");
        s.AssertNoProblems();
    }

    [Fact]
    public async Task Lists_show_a_summary_per_task_type_triggers_in_words_and_long_errors_on_one_line()
    {
        await using var s = await DashboardSession.StartAsync(browser);
        var (longError, _) = await DashboardSeeds.LongContentAsync(s);
        await s.SignInAsync();

        await s.GoAsync("#/jobs", "Jobs");
        var table = s.Page.Locator(".jobs-table");
        await Expect(table).ToContainTextAsync("POST https://abcdefghijklmnopqrstuvwxyz-project-with-a-very-long-name.functions.supabase.co/functions/v1/recalculate");
        await Expect(table).ToContainTextAsync("reporting.refresh_every_materialized_view_of_the_season_dashboards()");
        await Expect(table).ToContainTextAsync("trigger post-match, match 4711");
        await Expect(table).ToContainTextAsync("note=a-very-long-payload-value-a-very-long-p…, count=3, nested={…}");
        // the URL's query (it may carry keys) is not in the summaries
        Assert.DoesNotContain(await s.Page.Locator(".jobs-table .summary-line").AllTextContentsAsync(), t => t.Contains("not-for-lists", StringComparison.Ordinal));
        // the long error: one line, cut by the stylesheet
        var error = s.Page.Locator(".jobs-table tbody tr").Filter(new() { Has = s.Page.Locator($"a[title='{longError}']") }).Locator(".error-line");
        Assert.True(await error.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth && e.getBoundingClientRect().height < 30"));
        await s.ScreenshotAsync("16-jobs-summaries");

        await s.GoAsync($"#/jobs/{longError}", "http_request");
        await Expect(s.Page.Locator("#error-h + pre")).ToContainTextAsync(new string('x', 240));
        await Expect(s.Page.Locator(".details")).ToContainTextAsync("Admin (token)");

        await s.GoAsync("#/status", "Background Job Status");
        var rows = s.Page.Locator(".status-table tbody tr");
        await Expect(rows.Filter(new() { HasText = "http_request" }).Filter(new() { HasText = "Admin" }).First).ToContainTextAsync("Admin (token)");
        await Expect(rows.Filter(new() { HasText = "sql_function" })).ToContainTextAsync("Follow-up of job …");
        await Expect(rows.Filter(new() { HasText = "sql_function" }).Locator(".trigger a")).ToHaveCountAsync(1);
        await Expect(s.Page.Locator(".status-table")).ToContainTextAsync("pg_cron job nightly-leaderboards-");
        await Expect(s.Page.Locator(".status-table")).ToContainTextAsync("Timer LongScheduleName");
        await Expect(s.Page.Locator(".status-table")).ToContainTextAsync("stats trigger \"cron\"");
        await Expect(s.Page.Locator(".status-table")).ToContainTextAsync("ran pg_cron job xxxxxxxx");
        await Expect(s.Page.Locator(".status-table")).Not.ToContainTextAsync("cron:admin:admin-token");
        await s.ScreenshotAsync("17-status-triggers-in-words");
        s.AssertNoProblems();
    }

    [Fact]
    public async Task The_lists_update_themselves_while_visible_and_the_pause_button_stops_it_without_a_reload()
    {
        await using var s = await DashboardSession.StartAsync(browser);
        var first = await DashboardSeeds.EchoAsync(s, runAt: "now() + interval '1 day'");
        await s.SignInAsync();
        await s.GoAsync("#/jobs", "Jobs");
        await Expect(s.Page.Locator("#job-results tbody tr")).ToHaveCountAsync(1);
        await s.Page.EvaluateAsync("() => { window.notReloaded = true; }");
        await Expect(s.Page.Locator("#live-status")).ToHaveTextAsync("Live: every 5 s");

        // a job enqueued elsewhere appears within a few seconds
        await DashboardSeeds.EchoAsync(s, runAt: "now() + interval '1 day'");
        await Expect(s.Page.Locator("#job-results tbody tr")).ToHaveCountAsync(2, new() { Timeout = 15_000 });

        // paused: nothing changes
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Pause live updates" }).ClickAsync();
        await Expect(s.Page.Locator("#live-status")).ToHaveTextAsync("Live updates paused");
        await DashboardSeeds.EchoAsync(s, runAt: "now() + interval '1 day'");
        await Task.Delay(7_000);
        await Expect(s.Page.Locator("#job-results tbody tr")).ToHaveCountAsync(2);
        await s.ScreenshotAsync("18-live-paused");

        // resumed: at once
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Resume live updates" }).ClickAsync();
        await Expect(s.Page.Locator("#job-results tbody tr")).ToHaveCountAsync(3);

        // a hidden tab does not poll; visible again, it catches up at once
        await s.Page.EvaluateAsync("() => { Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true }); document.dispatchEvent(new Event('visibilitychange')); }");
        await s.Db.ExecuteAsync("UPDATE job_queue SET status = 'cancelled', completed_at = now() WHERE id = $1", first);
        await Task.Delay(7_000);
        await Expect(s.Page.Locator("#job-results tbody tr .badge-cancelled")).ToHaveCountAsync(0);
        await s.Page.EvaluateAsync("() => { Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true }); document.dispatchEvent(new Event('visibilitychange')); }");
        await Expect(s.Page.Locator("#job-results tbody tr .badge-cancelled")).ToHaveCountAsync(1);

        // the overview too
        await s.GoAsync("#/", "Overview");
        await Expect(s.Page.Locator("#count-pending .card-value")).ToHaveTextAsync("2");
        await DashboardSeeds.EchoAsync(s, runAt: "now() + interval '1 day'");
        await Expect(s.Page.Locator("#count-pending .card-value")).ToHaveTextAsync("3", new() { Timeout = 15_000 });
        Assert.True(await s.Page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        s.AssertNoProblems();
    }
}
