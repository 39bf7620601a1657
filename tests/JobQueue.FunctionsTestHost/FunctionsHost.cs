using Google.Protobuf.WellKnownTypes;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace JobQueue.FunctionsTestHost;

/// <summary>
/// A stand-in for the Azure Functions host, enough to run the built worker in a test: it listens for
/// the worker's gRPC stream, starts the worker process (<see cref="WorkerProcess"/>), then follows the
/// host's start-up sequence (StartStream, WorkerInitRequest/Response, FunctionsMetadataRequest and the
/// worker's own metadata, one FunctionLoadRequest per function) and invokes functions with
/// InvocationRequest (<see cref="InvokeAsync"/>; timer and HTTP payloads in <see cref="TimerInvocation"/>
/// and <see cref="HttpInvocation"/>). Disposing sends WorkerTerminate and kills a worker that hangs.
/// Not a host: no triggers fire by themselves, no function keys are checked, no scale-out.
/// </summary>
public sealed class FunctionsHost : IAsyncDisposable
{
    private const string HostVersion = "4.1000.0-jobqueue-test-host";

    private readonly HostRpcServer server;
    private readonly WorkerProcess process;
    private readonly Dictionary<string, LoadedFunction> functions = new(StringComparer.Ordinal);
    private HttpInvocation? http;

    private FunctionsHost(FunctionsHostOptions options, HostRpcServer server, WorkerProcess process, WorkerStream stream)
    {
        Options = options;
        this.server = server;
        this.process = process;
        Stream = stream;
    }

    public FunctionsHostOptions Options { get; }

    public WorkerStream Stream { get; }

    /// <summary>The capabilities the worker reported in its WorkerInitResponse.</summary>
    public IReadOnlyDictionary<string, string> Capabilities { get; private set; } = new Dictionary<string, string>();

    /// <summary>The worker's own HTTP listener (capability <c>HttpUri</c> of the ASP.NET Core integration), if any.</summary>
    public Uri? HttpUri => Capabilities.TryGetValue("HttpUri", out var uri) && !string.IsNullOrEmpty(uri) ? new Uri(uri) : null;

    /// <summary>Every function the worker indexed and loaded, by name.</summary>
    public IReadOnlyDictionary<string, LoadedFunction> Functions => functions;

    /// <summary>HTTP functions, called through the worker's own HTTP listener as the host forwards them.</summary>
    public HttpInvocation Http => http ??= new HttpInvocation(this);

    public int WorkerProcessId => process.Id;

    /// <summary>True when the worker had to be killed on shutdown (it did not exit after WorkerTerminate).</summary>
    public bool WorkerWasKilled => process.WasKilled;

    /// <summary>Starts the worker and loads all its functions; throws with the worker's output when any step fails.</summary>
    public static async Task<FunctionsHost> StartAsync(FunctionsHostOptions options, CancellationToken cancellationToken = default)
    {
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startup.CancelAfter(options.StartTimeout);
        var server = await HostRpcServer.StartAsync(startup.Token);
        var workerId = Guid.NewGuid().ToString();
        var process = WorkerProcess.Start(options.App, server.Uri, workerId, WorkerEnvironment.For(options.App, options.Settings));
        FunctionsHost? host = null;
        try
        {
            var connected = server.Connections.WaitForAsync(workerId, startup.Token);
            if (await Task.WhenAny(connected, process.WaitForExitAsync(startup.Token)) != connected)
            {
                throw new InvalidOperationException("the worker exited before it opened its event stream");
            }

            host = new FunctionsHost(options, server, process, await connected);
            await host.InitializeAsync(startup.Token);
            await host.LoadFunctionsAsync(startup.Token);
            return host;
        }
        catch (Exception e)
        {
            var diagnostics = host?.Diagnostics() ?? string.Join("\n", process.RecentOutput);
            if (host is not null)
            {
                await host.DisposeAsync();
            }
            else
            {
                await process.DisposeAsync();
                await server.DisposeAsync();
            }

            throw new InvalidOperationException($"the Functions worker did not start: {e.Message}\n{diagnostics}", e);
        }
    }

    /// <summary>Sends an InvocationRequest for <paramref name="functionName"/> and returns the worker's InvocationResponse.</summary>
    public async Task<InvocationResponse> InvokeAsync(
        string functionName, IEnumerable<ParameterBinding> inputs, IDictionary<string, TypedData>? triggerMetadata = null,
        string? invocationId = null, CancellationToken cancellationToken = default)
    {
        var request = new InvocationRequest
        {
            FunctionId = Function(functionName).FunctionId,
            InvocationId = invocationId ?? Guid.NewGuid().ToString(),
            TraceContext = new RpcTraceContext(),
        };
        request.InputData.Add(inputs);
        if (triggerMetadata is not null)
        {
            request.TriggerMetadata.Add(triggerMetadata);
        }

        var answer = await Stream.RequestAsync(new StreamingMessage { InvocationRequest = request }, Options.InvocationTimeout, cancellationToken);
        return answer.InvocationResponse;
    }

    public LoadedFunction Function(string name) =>
        functions.TryGetValue(name, out var function)
            ? function
            : throw new ArgumentException($"the worker has no function '{name}' (loaded: {string.Join(", ", functions.Keys)})", nameof(name));

    /// <summary>The worker's recent stdout/stderr and log messages, for failure messages.</summary>
    public string Diagnostics() =>
        "worker output:\n" + string.Join("\n", process.RecentOutput) +
        "\nworker logs:\n" + string.Join("\n", Stream.Logs.Select(l => $"{l.Level} {l.Category}: {l.Message}{(l.Exception is null ? "" : " " + l.Exception.Message)}"));

    public async ValueTask DisposeAsync()
    {
        http?.Dispose();
        if (!process.HasExited)
        {
            try
            {
                await Stream.SendAsync(new StreamingMessage
                {
                    WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(Options.ShutdownTimeout) },
                });
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or Grpc.Core.RpcException)
            {
                // the stream is already gone: the process is stopped (or killed) below all the same
            }

            await process.StopAsync(Options.ShutdownTimeout);
        }

        await process.DisposeAsync();
        await server.DisposeAsync();
        Stream.Dispose();
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var init = new WorkerInitRequest
        {
            HostVersion = HostVersion,
            WorkerDirectory = Options.App.Directory,
            FunctionAppDirectory = Options.App.Directory,
        };
        var answer = await Stream.RequestAsync(new StreamingMessage { WorkerInitRequest = init }, Options.StartTimeout, cancellationToken);
        EnsureSuccess(answer.WorkerInitResponse.Result, "WorkerInitRequest");
        Capabilities = new Dictionary<string, string>(answer.WorkerInitResponse.Capabilities);
    }

    private async Task LoadFunctionsAsync(CancellationToken cancellationToken)
    {
        var metadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = Options.App.Directory };
        var metadata = (await Stream.RequestAsync(
            new StreamingMessage { FunctionsMetadataRequest = metadataRequest }, Options.StartTimeout, cancellationToken)).FunctionMetadataResponse;
        EnsureSuccess(metadata.Result, "FunctionsMetadataRequest");

        foreach (var function in metadata.FunctionMetadataResults)
        {
            // as the host does (GrpcWorkerChannel.GetFunctionLoadRequest): the worker's id, name, entry point and bindings back
            var functionId = string.IsNullOrEmpty(function.FunctionId) ? Guid.NewGuid().ToString() : function.FunctionId;
            var load = new FunctionLoadRequest
            {
                FunctionId = functionId,
                Metadata = new RpcFunctionMetadata
                {
                    Name = function.Name,
                    Directory = function.Directory,
                    EntryPoint = function.EntryPoint,
                    ScriptFile = function.ScriptFile,
                    IsProxy = false,
                    Language = function.Language,
                },
            };
            load.Metadata.Bindings.Add(function.Bindings);
            load.Metadata.RawBindings.Add(function.RawBindings);
            load.Metadata.Properties.Add(function.Properties);

            var loaded = await Stream.RequestAsync(new StreamingMessage { FunctionLoadRequest = load }, Options.StartTimeout, cancellationToken);
            EnsureSuccess(loaded.FunctionLoadResponse.Result, $"FunctionLoadRequest {function.Name}");
            functions.Add(function.Name, new LoadedFunction(functionId, load.Metadata));
        }
    }

    private static void EnsureSuccess(StatusResult result, string step)
    {
        if (result.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"{step}: {result.Status} {result.Exception?.Message} {result.Exception?.StackTrace}");
        }
    }
}
