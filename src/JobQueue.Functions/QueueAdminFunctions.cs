using JobQueue.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace JobQueue.Functions;

/// <summary>Queue health, throughput, pause/resume and the audit log (route table entries AdminHealth, AdminSettingsGet, AdminSettingsPut, AdminThroughput, AdminAudit).</summary>
public sealed class QueueAdminFunctions(ApiPipeline pipeline)
{
    [Function("AdminHealth")]
    public Task<IResult> AdminHealth([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/job-queue/health")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminHealth", request.HttpContext);

    [Function("AdminSettingsGet")]
    public Task<IResult> AdminSettingsGet([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/job-queue/settings")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminSettingsGet", request.HttpContext);

    [Function("AdminSettingsPut")]
    public Task<IResult> AdminSettingsPut([HttpTrigger(AuthorizationLevel.Function, "put", Route = "admin/job-queue/settings")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminSettingsPut", request.HttpContext);

    [Function("AdminThroughput")]
    public Task<IResult> AdminThroughput([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/job-queue/throughput")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminThroughput", request.HttpContext);

    [Function("AdminAudit")]
    public Task<IResult> AdminAudit([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/audit")] HttpRequest request) =>
        pipeline.InvokeAsync("AdminAudit", request.HttpContext);
}
