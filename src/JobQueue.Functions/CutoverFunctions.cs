using JobQueue.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace JobQueue.Functions;

/// <summary>The cut-over routes of the route table: the dry run of moving a Supabase project onto JobQueue, and the parity report of the converted pg_cron jobs.</summary>
public sealed class CutoverFunctions(ApiPipeline pipeline)
{
    [Function("AdminCutoverPlan")]
    public Task<IResult> AdminCutoverPlan([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/cutover/plan")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminCutoverPlan", request.HttpContext);

    [Function("AdminCutoverParity")]
    public Task<IResult> AdminCutoverParity([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/cutover/parity")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminCutoverParity", request.HttpContext);
}
