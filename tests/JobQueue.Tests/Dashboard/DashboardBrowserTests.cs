using System.Text.Json;
using JobQueue.Tests.Api;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace JobQueue.Tests.Dashboard;

/// <summary>
/// The dashboard in headless Chromium against the server on Kestrel (loopback) over a test database:
/// sign in, read the counts, filter, open a job and retry it, pause and resume, the Background Job
/// Status table. Screenshots go to dashboard-screenshots/ in the test output directory.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task Signing_in_shows_the_counts_by_status_and_keeps_the_token_out_of_every_url()
    {
        await using var s = await DashboardSession.StartAsync(browser);
        // 3 succeeded, 2 failed (by the runner), 1 cancelled, 1 processing, 1 due and 1 future pending
        for (var i = 0; i < 3; i++)
        {
            await DashboardSeeds.EchoAsync(s);
        }

        await DashboardSeeds.EchoAsync(s, fail: true);
        await DashboardSeeds.EchoAsync(s, fail: true);
        await DashboardSeeds.RunAllDueAsync(s);
        var cancelled = await DashboardSeeds.EchoAsync(s, runAt: "now() + interval '1 day'");
        await s.ApiAsync(HttpMethod.Post, $"/api/admin/jobs/{cancelled}/cancel", "{}");
        await DashboardSeeds.EchoAsync(s);
        await DashboardSeeds.ClaimOneAsync(s);
        await DashboardSeeds.EchoAsync(s, runAt: "now() - interval '2 minutes'");
        await DashboardSeeds.EchoAsync(s, runAt: "now() + interval '1 day'");

        await s.OpenAsync();
        await Expect(s.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to JobQueue" })).ToBeVisibleAsync();
        await s.ScreenshotAsync("01-sign-in");
        await s.SignInAsync();

        await Expect(s.Page.Locator("#count-pending .card-value")).ToHaveTextAsync("2");
        await Expect(s.Page.Locator("#count-processing .card-value")).ToHaveTextAsync("1");
        await Expect(s.Page.Locator("#count-succeeded .card-value")).ToHaveTextAsync("3");
        await Expect(s.Page.Locator("#count-failed .card-value")).ToHaveTextAsync("2");
        await Expect(s.Page.Locator("#count-cancelled .card-value")).ToHaveTextAsync("1");
        await Expect(s.Page.Locator("#count-due .card-value")).ToHaveTextAsync("1");
        await Expect(s.Page.Locator("#oldest-pending .card-value")).ToContainTextAsync("min");
        await Expect(s.Page.Locator("#failures-h + .table-wrap tbody tr")).ToHaveCountAsync(2);
        await s.ScreenshotAsync("02-overview");

        // the token lives in this tab's sessionStorage only, and travels as a bearer header
        Assert.Equal(ApiTestServer.AdminToken, await s.Page.EvaluateAsync<string>("sessionStorage.getItem('jobqueue.adminToken')"));
        Assert.Null(await s.Page.EvaluateAsync<string?>("localStorage.getItem('jobqueue.adminToken')"));
        Assert.DoesNotContain(ApiTestServer.AdminToken, s.Page.Url, StringComparison.Ordinal);
        Assert.Contains(s.RequestUrls, u => u.Contains("/api/admin/job-queue/health", StringComparison.Ordinal));
        s.AssertNoProblems();

        // a new tab of the same browser (no sessionStorage) must sign in again; signing out forgets the token
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(s.Page.GetByLabel("Admin token")).ToBeVisibleAsync();
        Assert.Null(await s.Page.EvaluateAsync<string?>("sessionStorage.getItem('jobqueue.adminToken')"));
    }

    [Fact]
    public async Task A_wrong_token_is_refused_and_not_kept()
    {
        await using var s = await DashboardSession.StartAsync(browser);
        await s.OpenAsync();
        await s.Page.GetByLabel("Admin token").FillAsync("not-the-token");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(s.Page.Locator("#signin-status")).ToContainTextAsync("refused");
        Assert.Null(await s.Page.EvaluateAsync<string?>("sessionStorage.getItem('jobqueue.adminToken')"));
        await Expect(s.Page.Locator("#nav")).ToBeHiddenAsync();
        s.AssertNoProblems();
    }

    [Fact]
    public async Task Behind_app_service_authentication_the_platforms_sign_in_is_enough()
    {
        await using var s = await DashboardSession.StartAsync(browser);
        // what App Service Authentication adds to every request of a signed-in browser
        await s.Context.SetExtraHTTPHeadersAsync(new Dictionary<string, string>
        {
            ["x-ms-client-principal"] = ApiTestServer.Principal("alice@example.com", ApiTestServer.AdminRole),
        });
        await DashboardSeeds.EchoAsync(s);
        await DashboardSeeds.RunAllDueAsync(s);

        await s.OpenAsync();
        await Expect(s.Page.Locator("#count-succeeded .card-value")).ToHaveTextAsync("1");
        await Expect(s.Page.Locator("#who")).ToHaveTextAsync("Signed in with your organization account");
        await Expect(s.Page.GetByLabel("Admin token")).ToHaveCountAsync(0);
        Assert.Null(await s.Page.EvaluateAsync<string?>("sessionStorage.getItem('jobqueue.adminToken')"));

        // its actions are recorded under the principal's name
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Pause processing…" }).ClickAsync();
        await s.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Pause processing" }).ClickAsync();
        await Expect(s.Page.Locator("#banner")).ToBeVisibleAsync();
        await s.GoAsync("#/audit", "Audit log");
        await Expect(s.Page.Locator(".audit-table tbody tr").First).ToContainTextAsync("principal:alice@example.com");
        await Expect(s.Page.Locator(".audit-table tbody tr").First).ToContainTextAsync("settings.update");
        s.AssertNoProblems();
    }

    [Fact]
    public async Task The_dashboard_also_works_below_the_functions_route()
    {
        await using var s = await DashboardSession.StartAsync(browser);
        await DashboardSeeds.EchoAsync(s);
        await DashboardSeeds.RunAllDueAsync(s);
        await s.SignInAsync("api/dashboard/");
        await Expect(s.Page.Locator("#count-succeeded .card-value")).ToHaveTextAsync("1");
        Assert.Contains(s.RequestUrls, u => u.Contains("/api/dashboard/assets/app.js", StringComparison.Ordinal));
        s.AssertNoProblems();
    }

    [Fact]
    public async Task Jobs_filter_by_status_and_task_type_then_open_a_failed_job_and_retry_it()
    {
        await using var s = await DashboardSession.StartAsync(browser);
        var failed = await DashboardSeeds.EchoAsync(s, fail: true, count: 7);
        await DashboardSeeds.EchoAsync(s);
        await DashboardSeeds.EchoAsync(s);
        await DashboardSeeds.RunAllDueAsync(s);
        await s.Db.ExecuteAsync("SELECT job_queue_enqueue('job_queue_cleanup', '{\"retentionDays\":30}'::jsonb, now() + interval '1 day', 3)");
        await s.SignInAsync();

        await s.GoAsync("#/jobs", "Jobs");
        await Expect(s.Page.Locator("#job-results tbody tr")).ToHaveCountAsync(4);
        await s.Page.GetByLabel("Status").SelectOptionAsync("failed");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(s.Page.Locator("#job-results tbody tr")).ToHaveCountAsync(1);
        await Expect(s.Page.Locator("#job-results tbody tr .badge")).ToHaveTextAsync("failed");
        Assert.Contains("status=failed", s.Page.Url, StringComparison.Ordinal);

        await s.Page.GetByLabel("Status").SelectOptionAsync("");
        await s.Page.GetByLabel("Task type").SelectOptionAsync("job_queue_cleanup");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(s.Page.Locator("#job-results tbody tr")).ToHaveCountAsync(1);
        await Expect(s.Page.Locator("#job-results tbody tr")).ToContainTextAsync("job_queue_cleanup");
        await Expect(s.Page.Locator("#job-results tbody tr .badge")).ToHaveTextAsync("pending");
        await s.ScreenshotAsync("03-jobs-filtered");

        // payload text and creation time
        await s.Page.GetByLabel("Task type").SelectOptionAsync("");
        await s.Page.GetByLabel("Find").FillAsync("\"count\": 7");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(s.Page.Locator("#job-results tbody tr")).ToHaveCountAsync(1);
        await Expect(s.Page.Locator("#job-results tbody tr")).ToContainTextAsync("asked to fail");
        await s.Page.GetByLabel("Find").FillAsync("");
        await s.Page.GetByLabel("Created until (UTC)").FillAsync("2020-01-01T00:00");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(s.Page.Locator("#job-results")).ToContainTextAsync("No job matches these filters");
        Assert.Contains("createdBefore=2020-01-01T00%3A00%3A00Z", s.Page.Url, StringComparison.Ordinal);

        // find by id: straight to the job
        await s.Page.GetByLabel("Find").FillAsync(failed.ToString());
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(s.Page.Locator("main h1")).ToContainTextAsync("test_echo");
        await Expect(s.Page.Locator("main h1 .badge")).ToHaveTextAsync("failed");
        await Expect(s.Page.Locator("#payload-h + pre")).ToContainTextAsync("\"count\": 7");
        await Expect(s.Page.Locator("#error-h + pre")).ToContainTextAsync("asked to fail");
        await Expect(s.Page.Locator("#attempts-h + .table-wrap tbody tr")).ToHaveCountAsync(1);
        await Expect(s.Page.Locator("#job-run-now")).ToBeDisabledAsync();
        await s.ScreenshotAsync("04-job-failed");

        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(s.Page.Locator("main h1 .badge")).ToHaveTextAsync("pending");
        Assert.Equal("pending", await DashboardSeeds.StatusAsync(s, failed));
        await Expect(s.Page.Locator("#job-retry")).ToBeDisabledAsync();
        await Expect(s.Page.Locator("#job-run-now")).ToBeEnabledAsync();
        s.AssertNoProblems();
    }

    [Fact]
    public async Task Bulk_retry_by_filter_after_a_confirmation_that_shows_the_count()
    {
        await using var s = await DashboardSession.StartAsync(browser);
        var failed = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            failed.Add(await DashboardSeeds.EchoAsync(s, fail: true));
        }

        await DashboardSeeds.EchoAsync(s);
        await DashboardSeeds.RunAllDueAsync(s);
        var otherType = await s.Db.ScalarAsync<Guid>(
            "INSERT INTO job_queue (task_type, status, completed_at) VALUES ('job_queue_cleanup', 'failed', now()) RETURNING id");
        await s.SignInAsync();
        await s.GoAsync($"#/jobs?status=failed&taskType={EchoHandler.Name}", "Jobs");
        await Expect(s.Page.Locator("#job-results tbody tr")).ToHaveCountAsync(3);

        // cancelling the dialog changes nothing
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Retry all matching…" }).ClickAsync();
        var dialog = s.Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.Locator("#bulk-count")).ToContainTextAsync("retry 3 failed or cancelled jobs");
        await Expect(dialog).ToContainTextAsync($"taskType = {EchoHandler.Name}");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        Assert.Equal("failed", await DashboardSeeds.StatusAsync(s, failed[0]));

        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Retry all matching…" }).ClickAsync();
        await Expect(s.Page.GetByRole(AriaRole.Dialog).Locator("#bulk-count")).ToContainTextAsync("3");
        await s.ScreenshotAsync("05-bulk-retry-confirmation");
        await s.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Retry 3" }).ClickAsync();
        await Expect(s.Page.Locator(".toast").Last).ToContainTextAsync("3 jobs changed");
        await Expect(s.Page.Locator("#job-results")).ToContainTextAsync("No job matches these filters");
        foreach (var id in failed)
        {
            Assert.Equal("pending", await DashboardSeeds.StatusAsync(s, id));
        }

        Assert.Equal("failed", await DashboardSeeds.StatusAsync(s, otherType));
        s.AssertNoProblems();
    }

    [Fact]
    public async Task The_overview_charts_and_the_audit_log_show_what_happened()
    {
        await using var s = await DashboardSession.StartAsync(browser);
        for (var i = 0; i < 4; i++)
        {
            await DashboardSeeds.EchoAsync(s);
        }

        var failed = await DashboardSeeds.EchoAsync(s, fail: true);
        await DashboardSeeds.RunAllDueAsync(s);
        await s.SignInAsync();

        await Expect(s.Page.Locator("#chart-hour svg")).ToHaveCountAsync(2);
        await Expect(s.Page.Locator("#chart-hour figcaption").First).ToContainTextAsync("4 total");
        await Expect(s.Page.Locator("#chart-hour figcaption").Nth(1)).ToContainTextAsync("1 total");
        await Expect(s.Page.Locator("#chart-day svg")).ToHaveCountAsync(2);
        await Expect(s.Page.Locator("#chart-hour svg").First).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("4 in total"));
        await s.ScreenshotAsync("12-overview-charts");

        // actions taken in the dashboard land in the audit log, with who, what, target and outcome
        await s.GoAsync($"#/jobs/{failed}", EchoHandler.Name);
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(s.Page.Locator("main h1 .badge")).ToHaveTextAsync("pending");
        await s.GoAsync("#/audit", "Audit log");
        var rows = s.Page.Locator(".audit-table tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("job.retry");
        await Expect(rows.First).ToContainTextAsync("admin-token");
        await Expect(rows.First.Locator(".badge")).ToHaveTextAsync("ok");
        await Expect(rows.First.GetByRole(AriaRole.Link)).ToHaveTextAsync(failed.ToString());
        await s.ScreenshotAsync("13-audit-log");
        s.AssertNoProblems();
    }

    [Fact]
    public async Task Cancel_with_a_reason_and_run_now_from_the_job_page()
    {
        await using var s = await DashboardSession.StartAsync(browser);
        var later = await DashboardSeeds.EchoAsync(s, runAt: "now() + interval '1 day'");
        var other = await DashboardSeeds.EchoAsync(s, runAt: "now() + interval '1 day'");
        await s.SignInAsync();

        await s.GoAsync($"#/jobs/{later}", "test_echo");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Expect(s.Page.Locator(".toast")).ToContainTextAsync("run-now");
        Assert.True(await s.Db.ScalarAsync<bool>("SELECT run_at <= now() FROM job_queue WHERE id = $1", later));

        await s.GoAsync($"#/jobs/{other}", "test_echo");
        // both jobs' pages have the same heading: wait for this job's id, or the click may reach the last page
        await Expect(s.Page.Locator("main .breadcrumb")).ToContainTextAsync(other.ToString());
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel…" }).ClickAsync();
        var dialog = s.Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Reason (optional)").FillAsync("not needed any more");
        await s.ScreenshotAsync("04b-job-cancel-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel the job" }).ClickAsync();
        await Expect(s.Page.Locator("main h1 .badge")).ToHaveTextAsync("cancelled");
        Assert.Contains("not needed any more", await s.Db.ScalarAsync<string>("SELECT last_error FROM job_queue WHERE id = $1", other), StringComparison.Ordinal);
        s.AssertNoProblems();
    }

    [Fact]
    public async Task Pause_from_the_overview_shows_the_banner_everywhere_and_resume_clears_it()
    {
        await using var s = await DashboardSession.StartAsync(browser);
        await s.SignInAsync();
        await Expect(s.Page.Locator("#banner")).ToBeHiddenAsync();

        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Pause processing…" }).ClickAsync();
        var dialog = s.Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Reason (optional)").FillAsync("database maintenance");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Pause processing" }).ClickAsync();
        await Expect(s.Page.Locator("#banner")).ToBeVisibleAsync();
        await Expect(s.Page.Locator("#banner")).ToContainTextAsync("Processing is paused");
        await Expect(s.Page.Locator("#banner")).ToContainTextAsync("database maintenance");
        Assert.False(await s.Db.ScalarAsync<bool>("SELECT processing_enabled FROM job_queue_settings"));
        await s.ScreenshotAsync("06-paused-banner");

        await s.GoAsync("#/jobs", "Jobs");
        await Expect(s.Page.Locator("#banner")).ToBeVisibleAsync();
        await s.Page.Locator("#banner").GetByRole(AriaRole.Button, new() { Name = "Resume processing" }).ClickAsync();
        await Expect(s.Page.Locator("#banner")).ToBeHiddenAsync();
        Assert.True(await s.Db.ScalarAsync<bool>("SELECT processing_enabled FROM job_queue_settings"));
        s.AssertNoProblems();
    }

    [Fact]
    public async Task The_background_job_status_table_shows_trigger_and_status_and_retries_a_failed_job()
    {
        await using var s = await DashboardSession.StartAsync(browser);
        var failed = await DashboardSeeds.EchoAsync(s, fail: true, triggeredBy: "schedule:GamePlatformSync");
        await DashboardSeeds.EchoAsync(s, triggeredBy: "pg_cron:nightly-echo");
        await DashboardSeeds.RunAllDueAsync(s);
        await DashboardSeeds.EchoAsync(s, triggeredBy: "test:later", runAt: "now() + interval '1 hour'");
        await s.SignInAsync();

        await s.GoAsync("#/status", "Background Job Status");
        var rows = s.Page.Locator(".status-table tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        var failedRow = rows.Filter(new() { HasText = "GamePlatformSync" });
        await Expect(failedRow.Locator(".badge")).ToHaveTextAsync("failed");
        await Expect(failedRow.Locator(".trigger-kind")).ToHaveTextAsync("Timer");
        await Expect(rows.Filter(new() { HasText = "nightly-echo" }).Locator(".badge")).ToHaveTextAsync("succeeded");
        await Expect(rows.Filter(new() { HasText = "nightly-echo" }).GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Expect(rows.Filter(new() { HasText = "nightly-echo" })).ToContainTextAsync("pg_cron job nightly-echo");
        // the page updates itself while the tab is visible (DashboardActionTests)
        await Expect(s.Page.Locator("#live-status")).ToContainTextAsync("Live: every 5 s");
        Assert.Equal("failed", await DashboardSeeds.StatusAsync(s, failed));
        await s.ScreenshotAsync("07-background-job-status");

        await failedRow.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(rows.Filter(new() { HasText = "Admin (token)" }).First).ToBeVisibleAsync();
        Assert.Equal("pending", await DashboardSeeds.StatusAsync(s, failed));
        s.AssertNoProblems();
    }

    internal static JsonElement CronJob(JsonElement list, string name) =>
        list.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("jobName").GetString() == name);
}
