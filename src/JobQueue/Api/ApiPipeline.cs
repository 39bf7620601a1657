using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Api;

/// <summary>
/// THE way every route runs, on both hosts: the server maps each route to <see cref="InvokeAsync(ApiRoute, HttpContext, string?)"/>;
/// each Functions function calls <see cref="InvokeAsync(string, HttpContext, string?)"/> with its route's name.
/// In order: a database outage anywhere becomes 503 + Retry-After (<see cref="DatabaseOutageGuard"/>);
/// the caller is authenticated as the route declares (401/403/503 before anything about the body is
/// said); a non-GET route's body is read (<see cref="JsonBody"/>: 413/415/400) and the route's request
/// record bound from it or from the query (400 naming each bad field, nothing changed); the endpoint
/// runs; an audited route's call by an admin is recorded with its outcome (<see cref="AdminAudit"/>).
/// Works on any set of routes (the engine's <see cref="ApiRoutes.All"/> or a composed table).
/// </summary>
public sealed class ApiPipeline
{
    private readonly Dictionary<string, ApiRoute> _byName;

    public ApiPipeline(IEnumerable<ApiRoute> routes)
    {
        Routes = routes.ToList();
        _byName = Routes.ToDictionary(r => r.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<ApiRoute> Routes { get; }

    public ApiRoute this[string name] => _byName.TryGetValue(name, out var route)
        ? route
        : throw new KeyNotFoundException($"no route named {name} in the route table");

    /// <summary>Runs the route named <paramref name="routeName"/> (a Functions function's name).</summary>
    public Task<IResult> InvokeAsync(string routeName, HttpContext context, string? routeValue = null) =>
        InvokeAsync(this[routeName], context, routeValue);

    /// <summary>Runs <paramref name="route"/>; <paramref name="routeValue"/> defaults to the request's route value of the template.</summary>
    public static Task<IResult> InvokeAsync(ApiRoute route, HttpContext context, string? routeValue = null) =>
        DatabaseOutageGuard.InvokeAsync(context, () => RunAsync(route, context, routeValue ?? RouteValue(route, context)));

    private static async Task<IResult> RunAsync(ApiRoute route, HttpContext context, string routeValue)
    {
        var services = context.RequestServices;
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        var caller = route.Auth switch
        {
            ApiAuth.Runner => await services.GetRequiredService<ApiAuthenticator>().RunnerAsync(request, cancellationToken),
            ApiAuth.Admin => await services.GetRequiredService<ApiAuthenticator>().AdminAsync(request, cancellationToken),
            _ => AuthResult.Allow("anonymous"),
        };
        var call = new ApiCall(request, caller.Actor, routeValue);
        var result = caller.Failure ?? await BindAndHandleAsync(route, call);
        if (route.Audit is { } audit && caller.Actor.Length > 0 && !call.AuditSkipped)
        {
            await services.GetRequiredService<AdminAudit>().RecordAsync(call, audit, result, cancellationToken);
        }

        return result;
    }

    private static async Task<IResult> BindAndHandleAsync(ApiRoute route, ApiCall call)
    {
        var fields = new RequestFields(default);
        if (!HttpMethods.IsGet(route.Method))
        {
            var (body, error) = await JsonBody.ReadAsync(call.Request, call.Aborted);
            if (body is null)
            {
                return error!;
            }

            fields = body;
        }

        var bound = route.Bind?.Invoke(fields, call.Request.Query);
        if (bound is IAuditedRequest audited)
        {
            call.AuditTarget = audited.AuditTarget;
            call.AuditSkipped = !audited.IsAction;
        }

        return fields.HasErrors ? fields.Problem() : await route.Handle(call, bound);
    }

    private static string RouteValue(ApiRoute route, HttpContext context) =>
        route.RouteValueName is { } name ? context.Request.RouteValues[name]?.ToString() ?? "" : "";
}
