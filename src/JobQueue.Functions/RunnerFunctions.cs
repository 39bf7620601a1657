using JobQueue.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace JobQueue.Functions;

/// <summary>The HTTP runner for outside callers (route table entries JobsRun and JobsRunGet, Vercel Cron's GET); runner secret + function key.</summary>
public sealed class RunnerFunctions(ApiPipeline pipeline)
{
    [Function("JobsRun")]
    public Task<IResult> JobsRun([HttpTrigger(AuthorizationLevel.Function, "post", Route = "jobs/run")] HttpRequest request) =>
        pipeline.InvokeAsync("JobsRun", request.HttpContext);

    [Function("JobsRunGet")]
    public Task<IResult> JobsRunGet([HttpTrigger(AuthorizationLevel.Function, "get", Route = "jobs/run")] HttpRequest request) =>
        pipeline.InvokeAsync("JobsRunGet", request.HttpContext);
}
