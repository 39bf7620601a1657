using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// <c>GET openapi.json</c> (public, like the dashboard's files: it holds no data): the OpenAPI 3.1
/// document of the route table this host runs (<see cref="ApiPipeline.Routes"/>), generated once by
/// <see cref="ApiDocumentGenerator"/>. Both hosts run the same table, so they serve the same document,
/// which is also committed as <c>src/JobQueue/Api/openapi.json</c> (README.md beside it).
/// </summary>
public sealed class ApiDocumentEndpoint(ApiPipeline pipeline)
{
    private readonly Lazy<string> _document = new(() => ApiDocumentGenerator.Write(pipeline.Routes));

    public IResult Get() => Results.Text(_document.Value, "application/json", System.Text.Encoding.UTF8);
}
