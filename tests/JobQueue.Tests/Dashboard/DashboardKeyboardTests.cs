using JobQueue.Tests.Api;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace JobQueue.Tests.Dashboard;

/// <summary>
/// The dashboard with the keyboard only: Tab, Shift+Tab, Enter, Space and letters, no mouse and no
/// script shortcuts. Every control reached shows a visible focus outline.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardKeyboardTests(BrowserFixture browser)
{
    private const int MaxTabs = 60;

    [Fact]
    public async Task Sign_in_filter_open_a_failed_job_and_retry_it_with_the_keyboard_only()
    {
        await using var s = await DashboardSession.StartAsync(browser);
        var failed = await DashboardSeeds.EchoAsync(s, fail: true);
        await DashboardSeeds.EchoAsync(s);
        await DashboardSeeds.RunAllDueAsync(s);
        await s.OpenAsync();
        var keys = s.Page.Keyboard;

        // the sign-in form: the token field has the focus; Tab reaches the function key and the button
        await Expect(s.Page.GetByLabel("Admin token")).ToBeFocusedAsync();
        await keys.TypeAsync(ApiTestServer.AdminToken);
        await TabToAsync(s, "button", "Sign in");
        await keys.PressAsync("Enter");
        await Expect(s.Page.Locator("#count-failed .card-value")).ToHaveTextAsync("1");
        // after a page change the focus is on its heading, so the next Tab starts from the page
        await Expect(s.Page.Locator("main h1")).ToBeFocusedAsync();

        // backwards through the navigation to the skip link at the top, which leads back into the page
        await TabToAsync(s, "a", "Skip to content", backwards: true);
        await keys.PressAsync("Enter");
        Assert.Equal("main", (await ActiveAsync(s)).Tag);

        // the overview's Failed card is a link to the failed jobs
        await TabToAsync(s, "a", "Failed");
        await keys.PressAsync("Enter");
        await Expect(s.Page.Locator("main h1")).ToHaveTextAsync("Jobs");
        await Expect(s.Page.Locator("#job-results tbody tr")).ToHaveCountAsync(1);
        await s.ScreenshotAsync("10-keyboard-jobs");

        // choose a task type in the filter with the keyboard (type-ahead on a focused select), apply with Enter
        await TabToAsync(s, "select", "Any task type");
        await keys.TypeAsync("test_");
        await TabToAsync(s, "button", "Apply");
        await keys.PressAsync("Enter");
        await Expect(s.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("taskType=test_echo"));
        await Expect(s.Page.Locator("#job-results tbody tr")).ToHaveCountAsync(1);

        // open the job from the table and retry it with Space
        await TabToAsync(s, "a", failed.ToString()[^12..]);
        await keys.PressAsync("Enter");
        await Expect(s.Page.Locator("main h1 .badge")).ToHaveTextAsync("failed");
        await TabToAsync(s, "button", "Retry");
        await keys.PressAsync("Space");
        await Expect(s.Page.Locator("main h1 .badge")).ToHaveTextAsync("pending");
        Assert.Equal("pending", await DashboardSeeds.StatusAsync(s, failed));

        // the cancel dialog: opened with Enter, the reason typed, dismissed with Escape, nothing changed
        await TabToAsync(s, "button", "Cancel…");
        await keys.PressAsync("Enter");
        await Expect(s.Page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await Expect(s.Page.GetByRole(AriaRole.Dialog).GetByLabel("Reason (optional)")).ToBeFocusedAsync();
        await keys.TypeAsync("changed my mind");
        await keys.PressAsync("Escape");
        await Expect(s.Page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        Assert.Equal("pending", await DashboardSeeds.StatusAsync(s, failed));
        await s.ScreenshotAsync("11-keyboard-job-retried");
        s.AssertNoProblems();
    }

    /// <summary>
    /// Presses Tab (or Shift+Tab) until the focused element is a <paramref name="tag"/> whose text (or selected option,
    /// or aria-label) contains <paramref name="text"/>; asserts it shows a focus outline.
    /// </summary>
    private static async Task TabToAsync(DashboardSession s, string tag, string text, bool backwards = false)
    {
        for (var i = 0; i < MaxTabs; i++)
        {
            await s.Page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            var (activeTag, activeText) = await ActiveAsync(s);
            if (activeTag == tag && activeText.Contains(text, StringComparison.Ordinal))
            {
                var outline = await s.Page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle");
                Assert.True(outline != "none", $"the focused {tag} '{text}' shows no focus outline");
                return;
            }
        }

        Assert.Fail($"{MaxTabs} presses of Tab did not reach a {tag} with '{text}'");
    }

    private static async Task<(string Tag, string Text)> ActiveAsync(DashboardSession s)
    {
        var values = await s.Page.EvaluateAsync<string[]>(
            "() => { const e = document.activeElement; if (!e) return ['', '']; " +
            "const text = e.tagName === 'SELECT' ? e.options[e.selectedIndex]?.text ?? '' : (e.getAttribute('aria-label') || '') + ' ' + (e.textContent || ''); " +
            "return [e.tagName.toLowerCase(), text]; }");
        return (values[0], values[1]);
    }
}
