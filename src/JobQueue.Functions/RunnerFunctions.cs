using JobQueue.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace JobQueue.Functions;

/// <summary>The HTTP runner for outside callers (route table entry JobsRun); runner secret + function key.</summary>
public sealed class RunnerFunctions(RunnerEndpoints runner)
{
    [Function("JobsRun")]
    public Task<IResult> JobsRun([HttpTrigger(AuthorizationLevel.Function, "post", Route = "jobs/run")] HttpRequest request, CancellationToken cancellationToken) =>
        runner.RunAsync(request, cancellationToken);
}
