using JobQueue.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace JobQueue.Functions;

/// <summary>Queue health, throughput, pause/resume and the audit log (route table entries AdminHealth, AdminSettingsGet, AdminSettingsPut, AdminThroughput, AdminAudit).</summary>
public sealed class QueueAdminFunctions(HealthEndpoint health, QueueSettingsEndpoints settings, ThroughputEndpoint throughput, AuditEndpoint audit)
{
    [Function("AdminHealth")]
    public Task<IResult> AdminHealth([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/job-queue/health")] HttpRequest request, CancellationToken cancellationToken) =>
        health.GetAsync(request, cancellationToken);

    [Function("AdminSettingsGet")]
    public Task<IResult> AdminSettingsGet([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/job-queue/settings")] HttpRequest request, CancellationToken cancellationToken) =>
        settings.GetAsync(request, cancellationToken);

    [Function("AdminSettingsPut")]
    public Task<IResult> AdminSettingsPut([HttpTrigger(AuthorizationLevel.Function, "put", Route = "admin/job-queue/settings")] HttpRequest request, CancellationToken cancellationToken) =>
        settings.PutAsync(request, cancellationToken);

    [Function("AdminThroughput")]
    public Task<IResult> AdminThroughput([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/job-queue/throughput")] HttpRequest request, CancellationToken cancellationToken) =>
        throughput.GetAsync(request, cancellationToken);

    [Function("AdminAudit")]
    public Task<IResult> AdminAudit([HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/audit")] HttpRequest request, CancellationToken cancellationToken) =>
        audit.ListAsync(request, cancellationToken);
}
