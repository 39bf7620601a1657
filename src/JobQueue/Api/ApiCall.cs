using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// One call of a route as the endpoint sees it after <see cref="ApiPipeline"/> admitted it: the request,
/// the caller's name, the template's route value, and what the audit log should say about it.
/// </summary>
public sealed class ApiCall(HttpRequest request, string actor, string routeValue)
{
    public HttpRequest Request { get; } = request;

    /// <summary>The admitted caller ("admin-token", "principal:...", "runner", "anonymous").</summary>
    public string Actor { get; } = actor;

    /// <summary>The template's route value (<c>{id}</c>, <c>{name}</c>, <c>{*path}</c>), "" when none.</summary>
    public string RouteValue { get; } = routeValue;

    public CancellationToken Aborted => Request.HttpContext.RequestAborted;

    /// <summary>The caller's <c>x-request-id</c> or the host's trace identifier.</summary>
    public string RequestId => ApiRequest.RequestId(Request);

    /// <summary>The audit entry's target, once the endpoint knows it (e.g. the id of the job it enqueued).</summary>
    public string? AuditTarget { get; set; }

    /// <summary>A short description of what was done (e.g. "matched 12, changed 12").</summary>
    public string? AuditDetail { get; set; }

    /// <summary>Not an action after all (a dry run only counts): nothing is recorded.</summary>
    public bool AuditSkipped { get; set; }
}
