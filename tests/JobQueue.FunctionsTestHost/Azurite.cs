using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace JobQueue.FunctionsTestHost;

/// <summary>
/// Azurite (the Azure Storage emulator) on free loopback ports, started and stopped with
/// <c>infra/local/azurite.sh</c> (which installs it from npm where missing): the storage account for
/// <c>AzureWebJobsStorage</c> and Storage-queue tests.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    private readonly string script;
    private readonly Dictionary<string, string> ports;

    private Azurite(string script, Dictionary<string, string> ports, string connectionString)
    {
        this.script = script;
        this.ports = ports;
        ConnectionString = connectionString;
    }

    /// <summary>The development account's connection string with this instance's endpoints.</summary>
    public string ConnectionString { get; }

    public static async Task<Azurite> StartAsync(string repoRoot, CancellationToken cancellationToken = default)
    {
        var script = Path.Combine(repoRoot, "infra", "local", "azurite.sh");
        var ports = new Dictionary<string, string>
        {
            ["JOBQUEUE_AZURITE_BLOB_PORT"] = FreePort(),
            ["JOBQUEUE_AZURITE_QUEUE_PORT"] = FreePort(),
            ["JOBQUEUE_AZURITE_TABLE_PORT"] = FreePort(),
        };
        var output = await RunAsync(script, "start", ports, cancellationToken);
        return new Azurite(script, ports, output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim());
    }

    public async ValueTask DisposeAsync() => await RunAsync(script, "stop", ports, CancellationToken.None);

    private static async Task<string> RunAsync(string script, string verb, Dictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash", [script, verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5)); // the first start installs Azurite from npm
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"azurite.sh {verb} did not finish within 5 minutes");
        }

        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"azurite.sh {verb} failed ({process.ExitCode}): {await stderr}");
    }

    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }
}
