using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// A route's request record: <see cref="Bind"/> reads it from the JSON body's fields (or, for a GET
/// route, from the query string), recording each bad field's reason in <see cref="RequestFields"/>;
/// <see cref="ApiPipeline"/> answers 400 naming those fields before the endpoint runs. Checks that need
/// the database or a registry (a registered task type, an existing job) stay with the endpoint.
/// </summary>
public interface IApiRequest<TSelf>
    where TSelf : IApiRequest<TSelf>
{
    static abstract TSelf Bind(RequestFields fields, IQueryCollection query);
}

/// <summary>A request that tells the audit log its target (even when it is refused), or that it is no action (a dry run).</summary>
public interface IAuditedRequest
{
    string? AuditTarget { get; }

    bool IsAction => true;
}
