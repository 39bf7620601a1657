using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace JobQueue.Tests.Infrastructure;

/// <summary>
/// The real server process (<c>src/JobQueue.Server/bin/&lt;configuration&gt;/net10.0/JobQueue.Server.dll</c>, as
/// <c>infra/local/run.sh</c> runs it) on a free loopback port over a test database, started and ready
/// (<c>/healthz/ready</c> answers 200: migrations applied). Disposing kills it.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ServerProcess(Process process, string url)
    {
        this.process = process;
        Url = url;
    }

    public string Url { get; }

    /// <summary>What the server printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static string Dll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var dll = Path.Combine(LocalPostgres.RepoRoot, "src", "JobQueue.Server", "bin", configuration, "net10.0", "JobQueue.Server.dll");
            Assert.True(File.Exists(dll), $"server not built: {dll}");
            return dll;
        }
    }

    /// <summary>Starts the server over <paramref name="db"/> with <paramref name="environment"/> (settings as environment variables, <c>__</c> for <c>:</c>).</summary>
    public static async Task<ServerProcess> StartAsync(TestDatabase db, IReadOnlyDictionary<string, string> environment)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var psi = new ProcessStartInfo("dotnet", [Dll, "--urls", url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        psi.Environment["Database__ConnectionString"] = db.AppConnectionString;
        psi.Environment["Database__MigrationConnectionString"] = db.ConnectionString;
        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }

        var server = new ServerProcess(Process.Start(psi)!, url);
        server.process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server.process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        await server.WaitUntilReadyAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(process.HasExited, "the server exited at start:\n" + Output);
            try
            {
                using var ready = await http.GetAsync(Url + "/healthz/ready");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // slow machine
            }

            await Task.Delay(250);
        }

        Assert.Fail("the server was not ready within 90 s:\n" + Output);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
