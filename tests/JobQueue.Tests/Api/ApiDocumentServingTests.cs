using JobQueue.Tests.Infrastructure;
using System.Net;
using JobQueue.Api;

namespace JobQueue.Tests.Api;

/// <summary>
/// The server serves the OpenAPI document (the committed one, byte for byte) and the API reference page
/// without credentials, as it serves the dashboard; the dashboard's header links to the page. The
/// Functions app's side: FunctionsApiDocumentTests.
/// </summary>
public sealed class ApiDocumentServingTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    [Fact]
    public async Task The_document_is_served_without_credentials_as_generated_from_the_route_table()
    {
        using var response = await fixture.Api.SendAsync(HttpMethod.Get, "/api/openapi.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ApiDocumentGenerator.Write(ComposedApp.Routes), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_reference_page_is_served_without_credentials_and_renders_the_document_with_Scalar()
    {
        using var page = await fixture.Api.SendAsync(HttpMethod.Get, "/api/reference/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ApiReferenceEndpoint.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("data-url=\"/api/openapi.json\"", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"scalar.js\"></script>", html, StringComparison.Ordinal);

        using var scalar = await fixture.Api.SendAsync(HttpMethod.Get, "/api/reference/scalar.js");
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
        Assert.Equal("text/javascript", scalar.Content.Headers.ContentType?.MediaType);
        Assert.Contains("createApiReference", await scalar.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var bare = await fixture.Api.SendAsync(HttpMethod.Get, "/api/reference");
        Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);
        using var missing = await fixture.Api.SendAsync(HttpMethod.Get, "/api/reference/nope.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task The_dashboards_header_links_to_the_reference_page()
    {
        using var response = await fixture.Api.SendAsync(HttpMethod.Get, "/api/dashboard/");
        var html = await response.Content.ReadAsStringAsync();
        var header = html[html.IndexOf("<header", StringComparison.Ordinal)..html.IndexOf("</header>", StringComparison.Ordinal)];
        Assert.Contains("href=\"/api/reference/\"", header, StringComparison.Ordinal);
    }
}
