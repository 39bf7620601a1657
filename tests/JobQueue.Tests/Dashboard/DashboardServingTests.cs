using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using JobQueue.Dashboard;
using JobQueue.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Dashboard;

/// <summary>
/// How the dashboard's files are served (the server at / and /assets/..., both hosts at
/// /api/dashboard/...): from the library's embedded resources, with a Content-Security-Policy that
/// forbids inline script, and with nothing in them that would load anything from another origin.
/// </summary>
public sealed partial class DashboardServingTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/api/dashboard/")]
    public async Task The_page_is_served_without_credentials_with_the_security_headers(string path)
    {
        using var response = await fixture.Api.SendAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(DashboardEndpoint.ContentSecurityPolicy, csp);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<script type=\"module\" src=\"assets/app.js\"></script>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/assets/app.js", "text/javascript")]
    [InlineData("/api/dashboard/assets/app.js", "text/javascript")]
    [InlineData("/assets/pages/jobs.js", "text/javascript")]
    [InlineData("/assets/app.css", "text/css")]
    [InlineData("/api/dashboard/assets/favicon.svg", "image/svg+xml")]
    public async Task Assets_are_served_at_both_paths_with_their_content_type_and_the_policy(string path, string mediaType)
    {
        using var response = await fixture.Api.SendAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(DashboardEndpoint.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task The_root_without_its_slash_redirects_so_that_relative_links_resolve()
    {
        using var response = await fixture.Api.SendAsync(HttpMethod.Get, "/api/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/api/dashboard/", response.Headers.Location?.ToString());
    }

    [Theory]
    [InlineData("/api/dashboard/nope.js")]
    [InlineData("/api/dashboard/assets/../../appsettings.json")]
    [InlineData("/api/dashboard/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/assets/..%2f..%2fJobQueue.dll")]
    [InlineData("/assets/APP.JS")]
    public async Task Unknown_files_are_404_problems(string path)
    {
        using var response = await fixture.Api.SendAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unchanged_file_is_a_304_by_its_etag()
    {
        using var first = await fixture.Api.SendAsync(HttpMethod.Get, "/assets/app.js");
        var etag = first.Headers.ETag!;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/assets/app.js");
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await fixture.Api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public void Every_file_is_embedded_in_the_library_and_loads_nothing_from_elsewhere()
    {
        var files = fixture.Api.Services.GetRequiredService<DashboardFiles>();
        var paths = files.Paths.Order(StringComparer.Ordinal).ToList();
        foreach (var expected in new[] { "index.html", "assets/app.js", "assets/app.css", "assets/api.js", "assets/pages/overview.js", "assets/pages/cron.js" })
        {
            Assert.Contains(expected, paths);
        }

        foreach (var path in paths)
        {
            // the SVG namespace is a name, not something fetched
            var text = Encoding.UTF8.GetString(files.Find(path)!.Content).Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal);
            Assert.False(ExternalUrl().IsMatch(text), $"{path} refers to another origin: {ExternalUrl().Match(text).Value}");
            if (path.EndsWith(".html", StringComparison.Ordinal))
            {
                // every script is a file of its own (the policy would block an inline one), and no inline style or handler
                Assert.All(ScriptTag().Matches(text), m => Assert.Contains("src=", m.Value, StringComparison.Ordinal));
                Assert.DoesNotMatch(InlineHandlerOrStyle(), text);
            }

            if (path.EndsWith(".js", StringComparison.Ordinal))
            {
                // markup is never built from strings (job data cannot become HTML), and no code from strings
                Assert.DoesNotMatch(MarkupFromStrings(), text);
                Assert.DoesNotContain("localStorage", text, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>An absolute URL, or a protocol-relative one in a string, attribute or CSS url().</summary>
    [GeneratedRegex(@"https?://|[""'(]//[a-z0-9]|@import", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();

    [GeneratedRegex(@"\.(inner|outer)HTML\s*[+]?=|insertAdjacentHTML|document\.write|\beval\(|new Function\(")]
    private static partial Regex MarkupFromStrings();

    [GeneratedRegex("<script[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"\s(on[a-z]+|style)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandlerOrStyle();
}
