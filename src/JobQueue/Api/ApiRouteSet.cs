namespace JobQueue.Api;

/// <summary>Routes a module contributes to the route table (<c>JobQueueBuilder.AddRoutes</c>).</summary>
public sealed record ApiRouteSet(IReadOnlyList<ApiRoute> Routes)
{
    /// <summary>The endpoint classes its routes call, each once (registered as singletons).</summary>
    public IEnumerable<Type> EndpointTypes => EndpointTypesOf(Routes);

    /// <summary>The endpoint classes <paramref name="routes"/> call, each once.</summary>
    public static IEnumerable<Type> EndpointTypesOf(IEnumerable<ApiRoute> routes) =>
        routes.Select(r => r.EndpointType).OfType<Type>().Distinct();
}
