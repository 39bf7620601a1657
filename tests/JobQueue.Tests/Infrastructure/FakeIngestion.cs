using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace JobQueue.Tests.Infrastructure;

/// <summary>
/// A stand-in for the Application Insights ingestion endpoint on loopback: accepts what the Azure
/// Monitor exporter posts to <c>v2.1/track</c> (gzip'ed or plain newline-delimited JSON envelopes)
/// and keeps every envelope, so a test sees telemetry exactly as Azure Monitor receives it; anything
/// else (Live Metrics pings) gets 404. An <see cref="HttpListener"/>, not ASP.NET Core, so that the
/// app under test does not trace the stand-in's own requests.
/// </summary>
public sealed class FakeIngestion : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task serving;

    private FakeIngestion(int port)
    {
        Url = $"http://127.0.0.1:{port}/";
        listener.Prefixes.Add(Url);
        listener.Start();
        serving = Task.Run(ServeAsync);
    }

    /// <summary>The endpoint's base address, with a trailing slash.</summary>
    public string Url { get; }

    public ConcurrentQueue<JsonElement> Envelopes { get; } = new();

    /// <summary>A connection string that sends everything (ingestion and Live Metrics) here.</summary>
    public string ConnectionString => $"InstrumentationKey=00000000-0000-0000-0000-00000000c0de;IngestionEndpoint={Url};LiveEndpoint={Url}";

    public static FakeIngestion Start()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new FakeIngestion(port);
    }

    /// <summary>The envelopes of one kind (<c>RequestData</c>, <c>MessageData</c>, <c>MetricData</c>, ...): their baseData.</summary>
    public IEnumerable<JsonElement> Of(string baseType) =>
        Envelopes.Where(e => e.GetProperty("data").GetProperty("baseType").GetString() == baseType)
            .Select(e => e.GetProperty("data").GetProperty("baseData"));

    /// <summary>The envelope's customDimensions (baseData.properties), empty when it has none.</summary>
    public static Dictionary<string, string> PropertiesOf(JsonElement baseData) =>
        baseData.TryGetProperty("properties", out var p)
            ? p.EnumerateObject().ToDictionary(x => x.Name, x => x.Value.GetString() ?? "")
            : [];

    /// <summary>One line per envelope (kind, name, dimensions), for a failure message.</summary>
    public string Summary() => string.Join("\n", Envelopes.Select(e =>
    {
        var data = e.GetProperty("data").GetProperty("baseData");
        var name = data.TryGetProperty("name", out var n) ? n.GetString()
            : data.TryGetProperty("metrics", out var m) ? m[0].GetProperty("name").GetString()
            : data.TryGetProperty("message", out var msg) ? msg.GetString() : "";
        return $"{e.GetProperty("data").GetProperty("baseType").GetString()} {name} {string.Join(",", PropertiesOf(data).Select(p => p.Key + "=" + p.Value))}";
    }));

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        try
        {
            await serving;
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var response = context.Response;
            if (context.Request.HttpMethod != "POST" || context.Request.Url?.AbsolutePath != "/v2.1/track")
            {
                response.StatusCode = 404;
                continue;
            }

            Stream body = context.Request.InputStream;
            if ((context.Request.Headers["Content-Encoding"] ?? "").Contains("gzip", StringComparison.OrdinalIgnoreCase))
            {
                body = new GZipStream(body, CompressionMode.Decompress);
            }

            var count = 0;
            using (var reader = new StreamReader(body))
            {
                while (await reader.ReadLineAsync() is { } line)
                {
                    if (!string.IsNullOrWhiteSpace(line))
                    {
                        Envelopes.Enqueue(JsonDocument.Parse(line).RootElement.Clone());
                        count++;
                    }
                }
            }

            var answer = Encoding.UTF8.GetBytes($"{{\"itemsReceived\":{count},\"itemsAccepted\":{count},\"errors\":[]}}");
            response.ContentType = "application/json";
            await response.OutputStream.WriteAsync(answer);
        }
    }
}
