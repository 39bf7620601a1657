using JobQueue.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace JobQueue.Functions;

/// <summary>Flow control per task type (route table entries AdminTaskLimits*).</summary>
public sealed class TaskLimitFunctions(TaskLimitEndpoints limits)
{
    [Function("AdminTaskLimitsList")]
    public Task<IResult> AdminTaskLimitsList([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/task-limits")] HttpRequest request, CancellationToken cancellationToken) =>
        limits.ListAsync(request, cancellationToken);

    [Function("AdminTaskLimitsSet")]
    public Task<IResult> AdminTaskLimitsSet([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/task-limits/set")] HttpRequest request, CancellationToken cancellationToken) =>
        limits.SetAsync(request, cancellationToken);

    [Function("AdminTaskLimitsPause")]
    public Task<IResult> AdminTaskLimitsPause([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/task-limits/pause")] HttpRequest request, CancellationToken cancellationToken) =>
        limits.PauseAsync(request, cancellationToken);

    [Function("AdminTaskLimitsResume")]
    public Task<IResult> AdminTaskLimitsResume([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/task-limits/resume")] HttpRequest request, CancellationToken cancellationToken) =>
        limits.ResumeAsync(request, cancellationToken);
}
