using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobQueue.Tests.Infrastructure;

/// <summary>One request as the receiver saw it.</summary>
public sealed record ReceivedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A real HTTP receiver on loopback (Kestrel, a free port): records every request and answers with the
/// replies scripted per path, in order, then with the path's default (200 "ok"). Stands in for the
/// endpoints HTTP jobs call (edge functions, a web app's cache invalidation route).
/// </summary>
public sealed class HttpReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Reply>> scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Reply> defaults = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReceivedRequest> received = new();

    private HttpReceiver(WebApplication app, Uri baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>A scripted answer: status, body, headers, and a delay before it (a slow endpoint).</summary>
    public sealed record Reply(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null, TimeSpan? Delay = null)
    {
        /// <summary>
        /// The reply's body may contain <c>{header:Name}</c>, replaced by that request header (an endpoint that
        /// echoes it), or <c>{header:Name|form}</c>, the header encoded (<see cref="Encode"/>).
        /// </summary>
        public string BodyFor(HttpRequest request) =>
            Body.Contains("{header:", StringComparison.Ordinal)
                ? System.Text.RegularExpressions.Regex.Replace(Body, @"\{header:([^}|]+)(?:\|([a-z0-9]+))?\}",
                    m => Encode(request.Headers[m.Groups[1].Value].ToString(), m.Groups[2].Value))
                : Body;
    }

    /// <summary>
    /// <paramref name="value"/> as an echoing endpoint might encode it: <c>base64</c>, <c>base64url</c>,
    /// <c>base64at1</c> / <c>base64at2</c> (inside a longer base64 text, after 1 or 2 other bytes), <c>url</c>,
    /// <c>hex</c>, <c>hexlower</c>, <c>reversed</c>, <c>json</c> (JSON-escaped); empty: as it is.
    /// </summary>
    public static string Encode(string value, string form)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(value);
        return form switch
        {
            "" => value,
            "base64" => Convert.ToBase64String(bytes),
            "base64url" => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            "base64at1" => Convert.ToBase64String([.. "x"u8, .. bytes]),
            "base64at2" => Convert.ToBase64String([.. "xy"u8, .. bytes]),
            "url" => Uri.EscapeDataString(value),
            "hex" => Convert.ToHexString(bytes),
            "hexlower" => Convert.ToHexStringLower(bytes),
            "reversed" => new string(value.Reverse().ToArray()),
            "json" => System.Text.Json.JsonSerializer.Serialize(value)[1..^1],
            _ => throw new ArgumentException($"unknown form {form}", nameof(form)),
        };
    }

    public Uri BaseUrl { get; }

    public int Port => BaseUrl.Port;

    public static async Task<HttpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        HttpReceiver? receiver = null;
        app.Run(async context => await receiver!.AnswerAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new HttpReceiver(app, new Uri(address));
        return receiver;
    }

    /// <summary>A fresh path on this receiver (tests share one receiver).</summary>
    public static string NewPath(string name) => $"/{name}-{Guid.NewGuid():N}";

    public string Url(string path) => new Uri(BaseUrl, path).ToString();

    public void Script(string path, params Reply[] replies)
    {
        var queue = scripts.GetOrAdd(path, _ => new ConcurrentQueue<Reply>());
        foreach (var reply in replies)
        {
            queue.Enqueue(reply);
        }
    }

    public void Default(string path, Reply reply) => defaults[path] = reply;

    public IReadOnlyList<ReceivedRequest> Requests(string path) => received.Where(r => r.Path == path).ToList();

    public IReadOnlyList<ReceivedRequest> All => received.ToList();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        received.Enqueue(new ReceivedRequest(
            request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "",
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body, DateTimeOffset.UtcNow));

        var path = request.Path.Value ?? "";
        var reply = scripts.TryGetValue(path, out var queue) && queue.TryDequeue(out var next)
            ? next
            : defaults.GetValueOrDefault(path, new Reply(200, "ok"));
        if (reply.Delay is { } delay)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.WriteAsync(reply.BodyFor(request));
    }
}
