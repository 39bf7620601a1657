using JobQueue.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace JobQueue.Functions;

/// <summary>
/// The API's OpenAPI document and its browsable reference (route table entries OpenApiDocument and
/// ApiReference): <c>/api/openapi.json</c>, <c>/api/reference/</c>. Anonymous like the dashboard's files:
/// they hold no data, and every call the reference page tries needs the admin token (and a function key).
/// </summary>
public sealed class ApiDocumentFunctions(ApiPipeline pipeline)
{
    [Function("OpenApiDocument")]
    public Task<IResult> OpenApiDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        pipeline.InvokeAsync("OpenApiDocument", request.HttpContext);

    [Function("ApiReference")]
    public Task<IResult> ApiReference([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reference/{*path}")] HttpRequest request, string? path) =>
        pipeline.InvokeAsync("ApiReference", request.HttpContext, path);
}
