using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace JobQueue.Tests.Dashboard;

/// <summary>
/// The API reference page in the browser: from the dashboard's header link, Scalar renders the served
/// OpenAPI document (its title and its operations) under the page's Content-Security-Policy,
/// without a script error or a policy violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ApiReferenceBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_dashboards_header_link_opens_the_reference_rendered_from_the_document()
    {
        await using var s = await DashboardSession.StartAsync(browser);
        await s.OpenAsync("api/dashboard/");
        var link = s.Page.Locator("header.topbar a", new() { HasText = "API reference" });
        await Expect(link).ToHaveAttributeAsync("href", "/api/reference/");

        await s.OpenAsync("api/reference/");
        await Expect(s.Page.GetByText("JobQueue admin and runner API").First).ToBeVisibleAsync();
        // the first group's operation is rendered from the document (the others as their groups open)
        await Expect(s.Page.GetByText("/admin/audit").First).ToBeVisibleAsync();
        await s.ScreenshotAsync("api-reference");
        Assert.Contains(s.RequestUrls, u => u.EndsWith("/api/openapi.json", StringComparison.Ordinal));
        s.AssertNoProblems();
    }
}
