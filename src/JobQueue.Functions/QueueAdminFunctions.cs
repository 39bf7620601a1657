using JobQueue.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace JobQueue.Functions;

/// <summary>Queue health and pause/resume (route table entries AdminHealth, AdminSettingsGet, AdminSettingsPut).</summary>
public sealed class QueueAdminFunctions(HealthEndpoint health, QueueSettingsEndpoints settings)
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
}
