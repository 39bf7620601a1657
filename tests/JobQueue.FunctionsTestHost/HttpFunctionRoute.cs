using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace JobQueue.FunctionsTestHost;

/// <summary>
/// One HTTP-triggered function's route as the host maps it: <c>{routePrefix}/{route}</c> (the route
/// defaults to the function name) and its methods, from the trigger's raw binding.
/// </summary>
internal sealed class HttpFunctionRoute
{
    private readonly TemplateMatcher matcher;

    private HttpFunctionRoute(LoadedFunction function, RouteTemplate template, IReadOnlyList<string> methods)
    {
        Function = function;
        Methods = methods;
        matcher = new TemplateMatcher(template, new RouteValueDictionary());
        Precedence = RoutePrecedence.ComputeInbound(template);
    }

    public LoadedFunction Function { get; }

    public IReadOnlyList<string> Methods { get; }

    /// <summary>Lower is more specific (literal segments before parameters), as the host orders its routes.</summary>
    public decimal Precedence { get; }

    /// <summary>The routes of every HTTP-triggered function, most specific first.</summary>
    public static IReadOnlyList<HttpFunctionRoute> All(IEnumerable<LoadedFunction> functions, string routePrefix) =>
        functions.Select(f => Create(f, routePrefix)).OfType<HttpFunctionRoute>().OrderBy(r => r.Precedence).ToList();

    /// <summary>Matches <paramref name="method"/> and <paramref name="path"/>; the route values on success.</summary>
    public RouteValueDictionary? Match(string method, string path)
    {
        if (!Methods.Contains(method, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        var values = new RouteValueDictionary();
        return matcher.TryMatch(path, values) ? values : null;
    }

    private static HttpFunctionRoute? Create(LoadedFunction function, string routePrefix)
    {
        var trigger = function.Metadata.RawBindings
            .Select(raw => JsonNode.Parse(raw)!.AsObject())
            .FirstOrDefault(b => string.Equals(b["type"]?.GetValue<string>(), "httpTrigger", StringComparison.OrdinalIgnoreCase));
        if (trigger is null)
        {
            return null;
        }

        var route = trigger["route"]?.GetValue<string>() ?? function.Name;
        var methods = trigger["methods"]?.AsArray().Select(m => m!.GetValue<string>()).ToList() ?? [];
        var template = TemplateParser.Parse(string.IsNullOrEmpty(routePrefix) ? route : $"{routePrefix}/{route}");
        return new HttpFunctionRoute(function, template, methods);
    }
}
