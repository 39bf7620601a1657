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

    /// <summary>The worker with <paramref name="args"/>, stdout redirected (stderr and stdin too when asked).</summary>
    public static Process Start(IEnumerable<string> args, bool redirectStandardError = false, bool redirectInput = false)
    {
        var psi = new ProcessStartInfo("dotnet", [Dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = redirectStandardError,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        return Process.Start(psi)!;
    }

    /// <summary>Sends SIGSTOP or SIGCONT (kill -STOP / -CONT).</summary>
    public static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
