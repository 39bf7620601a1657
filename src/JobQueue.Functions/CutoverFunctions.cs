using JobQueue.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace JobQueue.Functions;

/// <summary>The cut-over route of the route table: the dry run of moving a Supabase project onto JobQueue.</summary>
public sealed class CutoverFunctions(CutoverEndpoints cutover)
{
    [Function("AdminCutoverPlan")]
    public Task<IResult> AdminCutoverPlan([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/cutover/plan")] HttpRequest request, CancellationToken cancellationToken) =>
        cutover.PlanAsync(request, cancellationToken);
}
