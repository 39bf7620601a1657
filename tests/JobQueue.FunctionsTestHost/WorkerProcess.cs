using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace JobQueue.FunctionsTestHost;

/// <summary>
/// The worker process, started as the Functions host starts a language worker (azure-functions-host,
/// <c>DefaultWorkerProcessFactory</c> + <c>RpcWorkerContext</c>): <c>worker.config.json</c>'s executable and
/// worker path, then the host's arguments in both spellings (<c>--host --port --workerId --requestId
/// --grpcMaxMessageLength</c> and <c>--functions-uri --functions-worker-id --functions-request-id
/// --functions-grpc-max-message-length</c>, which the dotnet-isolated worker 2.x reads), the app
/// directory as working directory, and app settings as environment variables.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    /// <summary>The host's default (RpcWorkerConstants.DefaultMaxMessageLengthBytes).</summary>
    public const int GrpcMaxMessageLength = int.MaxValue;

    private const int KeptOutputLines = 300;

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private WorkerProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data is null ? null : "stderr: " + e.Data);
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>True when the worker did not exit by itself and was killed.</summary>
    public bool WasKilled { get; private set; }

    /// <summary>The last lines the worker wrote to stdout and stderr.</summary>
    public IReadOnlyList<string> RecentOutput => output.ToList();

    public static WorkerProcess Start(FunctionsAppBuild app, Uri hostUri, string workerId, IReadOnlyDictionary<string, string> environment)
    {
        var (executable, workerPath) = app.WorkerCommand();
        var requestId = Guid.NewGuid().ToString();
        var maxLength = GrpcMaxMessageLength.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = app.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in new[]
                 {
                     workerPath,
                     "--host", hostUri.Host, "--port", hostUri.Port.ToString(CultureInfo.InvariantCulture),
                     "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", maxLength,
                     "--functions-uri", hostUri.AbsoluteUri, "--functions-worker-id", workerId,
                     "--functions-request-id", requestId, "--functions-grpc-max-message-length", maxLength,
                 })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var worker = new WorkerProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        worker.process.Start();
        worker.process.BeginOutputReadLine();
        worker.process.BeginErrorReadLine();

        // the worker does not exit when its host goes away: a test run that ends without disposing kills it
        AppDomain.CurrentDomain.ProcessExit += worker.KillIfRunning;
        return worker;
    }

    /// <summary>Completes when the process exits.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => process.WaitForExitAsync(cancellationToken);

    /// <summary>Waits for the process to exit by itself; kills it (and its children) after <paramref name="timeout"/>.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            WasKilled = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillIfRunning;
        if (!process.HasExited)
        {
            await StopAsync(TimeSpan.Zero);
        }

        process.Dispose();
    }

    private void KillIfRunning(object? sender, EventArgs e)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > KeptOutputLines && output.TryDequeue(out _))
        {
        }
    }
}
