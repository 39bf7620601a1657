namespace JobQueue.Api;

/// <summary>Routes a module contributes to the route table, with the endpoint classes they call (registered as singletons).</summary>
public sealed record ApiRouteSet(IReadOnlyList<ApiRoute> Routes, IReadOnlyList<Type> EndpointTypes);
