using System.Text.Json;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace JobQueue.FunctionsTestHost;

/// <summary>An HTTP call through the host: the worker's real HTTP response and its InvocationResponse (null: no route matched, 404).</summary>
public sealed record HttpInvocationResult(HttpResponseMessage Response, InvocationResponse? Invocation, string? FunctionName) : IDisposable
{
    public void Dispose() => Response.Dispose();
}

/// <summary>
/// HTTP functions with the ASP.NET Core integration, as the host runs them (azure-functions-host
/// <c>DefaultHttpProxyService</c>, <c>GrpcMessageConversionExtensions.ToRpcHttp</c>): the host matches
/// the route, sends an InvocationRequest whose HTTP input is an empty <c>RpcHttp</c> (the worker reported
/// <c>HttpUri</c>, so the request itself is not copied into the message) with the route values as
/// trigger metadata, and forwards the real HTTP request to the worker's listener (<c>HttpUri</c> + the
/// original path and query) with the invocation id in <c>x-ms-invocation-id</c>; the worker pairs the
/// two by that id, runs the function and writes its response to the forwarded request.
/// </summary>
public sealed class HttpInvocation : IDisposable
{
    public const string InvocationIdHeader = "x-ms-invocation-id";

    private readonly FunctionsHost host;
    private readonly Uri workerUri;
    private readonly IReadOnlyList<HttpFunctionRoute> routes;
    private readonly HttpClient client;
    private volatile bool listening;

    public HttpInvocation(FunctionsHost host)
    {
        this.host = host;
        workerUri = host.HttpUri ?? throw new InvalidOperationException("the worker reported no HttpUri capability (no ASP.NET Core integration)");
        routes = HttpFunctionRoute.All(host.Functions.Values, host.Options.App.RoutePrefix());
        client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            Timeout = host.Options.InvocationTimeout,
        };
    }

    /// <summary>Sends <paramref name="request"/> (a path-and-query URI such as <c>/api/admin/jobs</c>) through the host.</summary>
    public async Task<HttpInvocationResult> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        var pathAndQuery = request.RequestUri?.OriginalString ?? throw new ArgumentException("the request has no URI", nameof(request));
        var path = pathAndQuery.Split('?', 2)[0];
        var match = routes.Select(r => (Route: r, Values: r.Match(request.Method.Method, path))).FirstOrDefault(m => m.Values is not null);
        if (match.Route is null)
        {
            return new HttpInvocationResult(new HttpResponseMessage(System.Net.HttpStatusCode.NotFound), null, null);
        }

        await WorkerListeningAsync(cancellationToken);
        var invocationId = Guid.NewGuid().ToString();
        request.RequestUri = new Uri(workerUri, pathAndQuery);
        request.Headers.Add(InvocationIdHeader, invocationId);

        var triggerMetadata = match.Values!.ToDictionary(v => v.Key, v => new TypedData { String = v.Value?.ToString() ?? "" });
        triggerMetadata["Query"] = new TypedData { Json = QueryJson(pathAndQuery) };
        triggerMetadata["Headers"] = new TypedData { Json = JsonSerializer.Serialize(request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value))) };
        var input = new ParameterBinding { Name = match.Route.Function.Trigger.Key, Data = new TypedData { Http = new RpcHttp() } };

        // a caller that gives up: the host cancels the invocation (InvocationCancel, where the worker handles it)
        using var cancel = cancellationToken.Register(() => _ = host.CancelInvocationAsync(invocationId));
        var forwarded = client.SendAsync(request, cancellationToken);
        var invocation = host.InvokeAsync(match.Route.Function.Name, [input], triggerMetadata, invocationId, cancellationToken);
        await Task.WhenAll(forwarded, invocation);
        return new HttpInvocationResult(await forwarded, await invocation, match.Route.Function.Name);
    }

    public void Dispose() => client.Dispose();

    /// <summary>
    /// Waits (once, at most 30 s) until the worker's listener accepts connections: the worker reports
    /// <c>HttpUri</c> when it starts, and on a busy machine Kestrel may bind it a moment later (the first
    /// forward was refused). An invocation is only sent once its request can be delivered.
    /// </summary>
    private async Task WorkerListeningAsync(CancellationToken cancellationToken)
    {
        if (listening)
        {
            return;
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(workerUri.Host, workerUri.Port, cancellationToken);
                listening = true;
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static string QueryJson(string pathAndQuery)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(pathAndQuery.Contains('?', StringComparison.Ordinal) ? pathAndQuery[pathAndQuery.IndexOf('?', StringComparison.Ordinal)..] : "");
        return JsonSerializer.Serialize(query.ToDictionary(q => q.Key, q => q.Value.ToString()));
    }
}
