using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobQueue.FunctionsTestHost;

/// <summary>
/// The host's gRPC endpoint (Grpc.AspNetCore on Kestrel): plain-text HTTP/2 on a free loopback port,
/// as the Functions host listens for its workers (<c>--functions-uri http://127.0.0.1:port/</c>).
/// </summary>
internal sealed class HostRpcServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private HostRpcServer(WebApplication app, Uri uri, WorkerConnections connections)
    {
        this.app = app;
        Uri = uri;
        Connections = connections;
    }

    public Uri Uri { get; }

    public WorkerConnections Connections { get; }

    public static async Task<HostRpcServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = WorkerProcess.GrpcMaxMessageLength;
            options.MaxSendMessageSize = WorkerProcess.GrpcMaxMessageLength;
        });
        var connections = new WorkerConnections();
        builder.Services.AddSingleton(connections);

        var app = builder.Build();
        app.MapGrpcService<FunctionRpcService>();
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new HostRpcServer(app, new Uri(address + "/"), connections);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await app.StopAsync(stop.Token);
        await app.DisposeAsync();
    }
}
