using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>Who may call a route.</summary>
public enum ApiAuth
{
    /// <summary>The runner secret (x-job-runner-secret or bearer).</summary>
    Runner,

    /// <summary>The admin token (bearer) or an App Service principal with the admin role.</summary>
    Admin,

    /// <summary>
    /// Nobody in particular: static files that hold no data (the dashboard's HTML, CSS and scripts). The
    /// Functions app serves them with AuthorizationLevel.Anonymous, so that a browser loads the page
    /// without a function key in its address.
    /// </summary>
    Public,
}

/// <summary>
/// A route's entry in the audit log: the action's name and, when the route names no target itself
/// (a route value, or the request's <see cref="IAuditedRequest.AuditTarget"/>), a fixed one.
/// </summary>
public sealed record ApiAudit(string Action, string? Target = null);

/// <summary>Where a route's request comes from: nothing, the JSON body, or the query string.</summary>
public enum ApiRequestSource
{
    None,
    Body,
    Query,
}

/// <summary>
/// One API route, as the route table declares it: its stable name (the Azure Functions function has this
/// name), HTTP method, route template WITHOUT the <c>/api</c> prefix (Functions adds it; the server maps
/// <c>/api/{Template}</c>), who may call it, whether and how it is audited, the request it binds
/// (<see cref="RequestType"/>, an <see cref="IApiRequest{TSelf}"/>) and what it answers
/// (<see cref="ResponseType"/>). <see cref="ApiPipeline"/> runs it; <see cref="Handle"/> is only the
/// endpoint's own logic. Build entries with <see cref="ApiRoutes.Route{TEndpoints}(string, string, string, ApiAuth, Func{TEndpoints, ApiCall, Task{IResult}})"/>.
/// </summary>
public sealed record ApiRoute(string Name, string Method, string Template, ApiAuth Auth)
{
    /// <summary>The endpoints class the route calls (a DI singleton, registered from the routes: no list to keep beside them).</summary>
    public Type? EndpointType { get; init; }

    /// <summary>Audited routes record every call by an admin (refusals included) in the audit log.</summary>
    public ApiAudit? Audit { get; init; }

    /// <summary>One line saying what the route does (the OpenAPI operation's <c>summary</c>); every route has one.</summary>
    public string Summary { get; init; } = "";

    /// <summary>More about the route for the OpenAPI document (how a caller such as Vercel Cron calls it), if anything.</summary>
    public string? Description { get; init; }

    /// <summary>The record the request binds to (body or query), or null when the route reads none.</summary>
    public Type? RequestType { get; init; }

    public ApiRequestSource RequestSource { get; init; }

    /// <summary>The type of a successful answer's JSON body (for the OpenAPI document), null when undeclared.</summary>
    public Type? ResponseType { get; init; }

    /// <summary>The media type of a successful answer.</summary>
    public string ResponseMediaType { get; init; } = "application/json";

    /// <summary>The status of a successful answer (200, or 201 for a created resource).</summary>
    public int SuccessStatus { get; init; } = StatusCodes.Status200OK;

    /// <summary>The statuses besides success and the pipeline's own (400, 401, 403, 413, 415, 503) the endpoint can answer: 404, 409.</summary>
    public IReadOnlyList<int> ErrorStatuses { get; init; } = [];

    /// <summary>The route value the template names (<c>id</c> for <c>{id}</c>, <c>path</c> for <c>{*path}</c>), if any.</summary>
    public string? RouteValueName => Template.IndexOf('{', StringComparison.Ordinal) is var start and >= 0
        ? Template[(start + 1)..Template.IndexOf('}', start + 1)].TrimStart('*')
        : null;

    /// <summary>Binds the request (errors collected in the fields); null for routes without a request.</summary>
    internal Func<RequestFields, IQueryCollection, object>? Bind { get; init; }

    /// <summary>The endpoint's own logic, given the call and the bound request.</summary>
    internal Func<ApiCall, object?, Task<IResult>> Handle { get; init; } = (_, _) => Task.FromResult(Results.NotFound());
}
