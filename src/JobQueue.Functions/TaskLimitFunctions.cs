using JobQueue.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace JobQueue.Functions;

/// <summary>Flow control per task type (route table entries AdminTaskLimits*).</summary>
public sealed class TaskLimitFunctions(ApiPipeline pipeline)
{
    [Function("AdminTaskLimitsList")]
    public Task<IResult> AdminTaskLimitsList([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/task-limits")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminTaskLimitsList", request.HttpContext);

    [Function("AdminTaskLimitsSet")]
    public Task<IResult> AdminTaskLimitsSet([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/task-limits/set")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminTaskLimitsSet", request.HttpContext);

    [Function("AdminTaskLimitsPause")]
    public Task<IResult> AdminTaskLimitsPause([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/task-limits/pause")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminTaskLimitsPause", request.HttpContext);

    [Function("AdminTaskLimitsResume")]
    public Task<IResult> AdminTaskLimitsResume([HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/task-limits/resume")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminTaskLimitsResume", request.HttpContext);
}
