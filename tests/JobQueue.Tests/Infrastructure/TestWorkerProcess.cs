using System.Diagnostics;

namespace JobQueue.Tests.Infrastructure;

/// <summary>Starts tests/JobQueue.TestWorker (built next to the tests) as a process of its own.</summary>
public static class TestWorkerProcess
{
    public static string Dll
    {
        get
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "JobQueue.TestWorker", "bin",
                new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "JobQueue.TestWorker.dll");
            Assert.True(File.Exists(dll), $"test worker not built: {dll}");
            return Path.GetFullPath(dll);
        }
    }

    /// <summary>The worker with <paramref name="args"/>, stdout redirected (stderr too when asked).</summary>
    public static Process Start(IEnumerable<string> args, bool redirectStandardError = false)
    {
        var psi = new ProcessStartInfo("dotnet", [Dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = redirectStandardError,
            UseShellExecute = false,
        };
        return Process.Start(psi)!;
    }
}
