using JobQueue.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace JobQueue.Functions;

/// <summary>The cut-over routes of the route table: the parity report of the converted pg_cron jobs.</summary>
public sealed class CutoverFunctions(CutoverParityEndpoint parity)
{
    [Function("AdminCutoverParity")]
    public Task<IResult> AdminCutoverParity([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/cutover/parity")] HttpRequest request, CancellationToken cancellationToken) =>
        parity.GetAsync(request, cancellationToken);
}
