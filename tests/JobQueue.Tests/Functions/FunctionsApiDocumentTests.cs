using JobQueue.Tests.Infrastructure;
using System.Net;
using JobQueue.Api;

namespace JobQueue.Tests.Functions;

/// <summary>
/// The Functions app serves the same OpenAPI document as the server (generated from the same route
/// table, through its anonymous function) and the same API reference page.
/// </summary>
public sealed class FunctionsApiDocumentTests(FunctionsWorkerFixture worker) : IClassFixture<FunctionsWorkerFixture>
{
    [Fact]
    public async Task The_document_and_the_reference_page_are_served_by_their_anonymous_functions()
    {
        using var document = await worker.SendAsync(HttpMethod.Get, "/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, document.Response.StatusCode);
        Assert.Equal("OpenApiDocument", document.FunctionName);
        Assert.Equal(ApiDocumentGenerator.Write(ComposedApp.Routes), await document.Response.Content.ReadAsStringAsync());

        using var page = await worker.SendAsync(HttpMethod.Get, "/api/reference/");
        Assert.Equal(HttpStatusCode.OK, page.Response.StatusCode);
        Assert.Equal("ApiReference", page.FunctionName);
        Assert.Equal("text/html", page.Response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("data-url=\"/api/openapi.json\"", await page.Response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var scalar = await worker.SendAsync(HttpMethod.Get, "/api/reference/scalar.js");
        Assert.Equal(HttpStatusCode.OK, scalar.Response.StatusCode);
        Assert.Contains("createApiReference", await scalar.Response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
