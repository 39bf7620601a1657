namespace JobQueue.Api;

/// <summary>
/// The composed route table: the engine's routes (<see cref="ApiRoutes.All"/>) and those of every module
/// registered (<see cref="ApiRouteSet"/>, added by the modules' <c>AddXxx()</c>). The server maps
/// exactly these; the Functions app has one function per entry.
/// </summary>
public sealed class ApiRouteTable(IEnumerable<ApiRouteSet> modules)
{
    public IReadOnlyList<ApiRoute> All { get; } = [.. ApiRoutes.All, .. modules.SelectMany(m => m.Routes)];
}
