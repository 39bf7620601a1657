using JobQueue.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace JobQueue.Functions;

/// <summary>
/// The browser dashboard's static files (route table entry Dashboard): <c>/api/dashboard/</c>. Anonymous,
/// because the files hold no data and a browser cannot send a function key with a page load; the page
/// then calls the admin API with the admin token (and a function key) it is given at sign-in.
/// </summary>
public sealed class DashboardFunctions(ApiPipeline pipeline)
{
    [Function("Dashboard")]
    public Task<IResult> Dashboard([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/{*path}")] HttpRequest request, string? path) =>
        pipeline.InvokeAsync("Dashboard", request.HttpContext, path);
}
