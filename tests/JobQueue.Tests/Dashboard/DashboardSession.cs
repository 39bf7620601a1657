using System.Text.Json;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace JobQueue.Tests.Dashboard;

/// <summary>
/// One browser test's world: a fresh database, the server on Kestrel at a loopback port over it, and
/// a new browser context with one page. Records uncaught script errors, Content-Security-Policy
/// violations and every URL the page requested, so that a test can assert none went wrong.
/// </summary>
public sealed class DashboardSession : IAsyncDisposable
{
    private readonly List<string> problems = [];
    private readonly List<string> requestUrls = [];

    private DashboardSession(TestDatabase db, ApiTestServer server, IBrowserContext context, IPage page)
    {
        Db = db;
        Server = server;
        Context = context;
        Page = page;
    }

    public TestDatabase Db { get; }

    public ApiTestServer Server { get; }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public Uri BaseAddress => Server.BaseAddress!;

    public IReadOnlyList<string> RequestUrls => requestUrls;

    /// <summary>
    /// A new world; <paramref name="settings"/> are added to the server's configuration (e.g. the stats
    /// pipeline's steps), <paramref name="withAxe"/> makes every page of the context load axe-core
    /// (<see cref="AxeCore"/>: injected by the test, never served by the dashboard).
    /// </summary>
    public static async Task<DashboardSession> StartAsync(
        BrowserFixture browser, IDictionary<string, string?>? settings = null, bool withAxe = false)
    {
        var db = await TestDatabase.CreateAsync();
        var server = await ApiTestServer.StartAsync(db, settings: settings, loopback: true);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        if (withAxe)
        {
            await context.AddInitScriptAsync(scriptPath: AxeCore.ScriptPath);
        }

        context.SetDefaultTimeout(30_000);
        SetDefaultExpectTimeout(30_000);
        var page = await context.NewPageAsync();
        var session = new DashboardSession(db, server, context, page);
        page.PageError += (_, error) => session.problems.Add("script error: " + error);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                session.problems.Add("CSP violation: " + message.Text);
            }
        };
        page.Request += (_, request) => session.requestUrls.Add(request.Url);
        return session;
    }

    /// <summary>Opens the dashboard at <paramref name="path"/> (default: the server's root).</summary>
    public Task OpenAsync(string path = "") => Page.GotoAsync(new Uri(BaseAddress, path).ToString());

    /// <summary>Opens the dashboard and signs in through the form with the admin token; waits for the overview.</summary>
    public async Task SignInAsync(string path = "")
    {
        await OpenAsync(path);
        await Page.GetByLabel("Admin token").FillAsync(ApiTestServer.AdminToken);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Page.Locator("#count-pending")).ToBeVisibleAsync();
    }

    /// <summary>Navigates the signed-in dashboard to a hash route (#/jobs, #/cron, ...).</summary>
    public async Task GoAsync(string hashRoute, string heading)
    {
        await Page.EvaluateAsync("h => { window.location.hash = h; }", hashRoute);
        await Expect(Page.Locator("main h1")).ToContainTextAsync(heading);
    }

    /// <summary>Saves a full-page screenshot as <c>dashboard-screenshots/&lt;name&gt;.png</c> under the test output.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>No uncaught script error and no Content-Security-Policy violation so far; no URL carried the admin token.</summary>
    public void AssertNoProblems()
    {
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.DoesNotContain(requestUrls, u => u.Contains(ApiTestServer.AdminToken, StringComparison.Ordinal));
    }

    /// <summary>An admin API call from the test (not through the page).</summary>
    public Task<JsonElement> ApiAsync(HttpMethod method, string path, string? json = null, int expectedStatus = 200) =>
        Server.JsonAsync(method, path, json, Credentials.Admin, expectedStatus);

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        await Server.DisposeAsync();
        await Db.DisposeAsync();
    }
}
