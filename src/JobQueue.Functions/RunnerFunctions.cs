using JobQueue.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace JobQueue.Functions;

/// <summary>The HTTP runner for outside callers (route table entries JobsRun and JobsRunGet, Vercel Cron's GET); runner secret + function key.</summary>
public sealed class RunnerFunctions(RunnerEndpoints runner)
{
    [Function("JobsRun")]
    public Task<IResult> JobsRun([HttpTrigger(AuthorizationLevel.Function, "post", Route = "jobs/run")] HttpRequest request, CancellationToken cancellationToken) =>
        runner.RunAsync(request, cancellationToken);

    [Function("JobsRunGet")]
    public Task<IResult> JobsRunGet([HttpTrigger(AuthorizationLevel.Function, "get", Route = "jobs/run")] HttpRequest request, CancellationToken cancellationToken) =>
        runner.RunDefaultAsync(request, cancellationToken);
}
