using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Chaos;

/// <summary>
/// The runner processes of a chaos run (JobQueue.TestWorker chaos: the server plus the chaos task
/// type), one per slot. A killed slot is started again after a second, as a supervisor would. Each
/// process instance has its own execution log and output file in <see cref="Directory"/>.
/// </summary>
public sealed partial class ChaosWorkers(string directory, string connectionString, ChaosOptions options) : IAsyncDisposable
{
    private readonly List<Instance> _current = [];
    private int _instances;
    private bool _stopped;

    public string Directory { get; } = directory;

    /// <summary>Every process instance started, in order.</summary>
    public List<Instance> All { get; } = [];

    public IReadOnlyList<Instance> Current => _current;

    public void StartAll()
    {
        for (var slot = 0; slot < options.Processes; slot++)
        {
            _current.Add(Start(slot));
        }
    }

    /// <summary>kill -9 of the slot's process; started again after a second. The kill time.</summary>
    public async Task<DateTimeOffset> KillAsync(int slot)
    {
        var victim = _current[slot];
        victim.Process.Kill(entireProcessTree: true);
        var at = DateTimeOffset.UtcNow;
        victim.KilledAt = at;
        await victim.Process.WaitForExitAsync();
        await Task.Delay(1000);
        _current[slot] = Start(slot);
        return at;
    }

    /// <summary>SIGSTOP, then SIGCONT after <paramref name="frozenFor"/>: a process frozen past its leases.</summary>
    public async Task<(DateTimeOffset From, DateTimeOffset To)> FreezeAsync(int slot, TimeSpan frozenFor)
    {
        var instance = _current[slot];
        await SignalAsync(instance.Process.Id, "STOP");
        var from = DateTimeOffset.UtcNow;
        await Task.Delay(frozenFor);
        await SignalAsync(instance.Process.Id, "CONT");
        var to = DateTimeOffset.UtcNow;
        instance.Frozen.Add((from, to));
        return (from, to);
    }

    /// <summary>Stops every process gracefully (SIGTERM), or kills it after 30 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        foreach (var instance in _current.Where(i => !i.Process.HasExited))
        {
            await SignalAsync(instance.Process.Id, "TERM");
        }

        foreach (var instance in _current)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await instance.Process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                instance.Process.Kill(entireProcessTree: true);
            }

            instance.Process.Dispose();
        }
    }

    private Instance Start(int slot)
    {
        var n = _instances++;
        var name = string.Create(CultureInfo.InvariantCulture, $"w{slot}-{n}");
        var exec = Path.Combine(Directory, name + ".exec");
        var output = Path.Combine(Directory, name + ".out");
        string[] settings =
        [
            "--urls=http://127.0.0.1:0",
            "--Database:ConnectionString=" + connectionString,
            "--Database:MigrateOnStartup=false",
            "--Schedules:Enabled=false",
            "--Runner:RunnerName=chaos-" + name,
            "--Runner:DefaultLimit=5",
            // five jobs at a time per process, as the pass loop ran them: the backlog must outlast the faults
            "--Runner:Concurrency=5",
            "--Runner:PollIntervalSeconds=1",
            "--Runner:TimeBudgetSeconds=" + ChaosOptions.TimeBudgetSeconds.ToString(CultureInfo.InvariantCulture),
            "--Runner:ClaimMarginSeconds=1",
            "--Runner:LeaseSeconds=" + options.LeaseSeconds.ToString(CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:JobQueue=Information",
            "--Logging:LogLevel:JobQueue.Runner.JobRunner=Warning",
        ];
        // exec keeps the pid: the Process object is the worker itself, not a shell
        var command = "exec " + string.Join(' ', new[] { "dotnet", TestWorkerProcess.Dll, "chaos", exec }.Concat(settings).Select(Quote))
                      + " >> " + Quote(output) + " 2>&1";
        var process = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { UseShellExecute = false })!;
        var instance = new Instance(slot, name, process, exec, output);
        All.Add(instance);
        return instance;
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>kill(2) at once (SIGSTOP and SIGCONT have no .NET API; a kill process would start too late to catch a job in flight).</summary>
    private static Task SignalAsync(int pid, string signal)
    {
        var number = signal switch { "TERM" => 15, "CONT" => 18, "STOP" => 19, _ => throw new ArgumentOutOfRangeException(nameof(signal)) };
        if (Kill(pid, number) != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return Task.CompletedTask;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>One process instance: its slot, name, pid, files and faults.</summary>
    public sealed class Instance(int slot, string name, Process process, string executionLog, string output)
    {
        public int Slot { get; } = slot;

        public string Name { get; } = name;

        public Process Process { get; } = process;

        public string ExecutionLog { get; } = executionLog;

        public string Output { get; } = output;

        public DateTimeOffset? KilledAt { get; set; }

        public List<(DateTimeOffset From, DateTimeOffset To)> Frozen { get; } = [];

        /// <summary>Executions started and not finished, from its log as written so far.</summary>
        public IReadOnlyList<string> InFlight() =>
            ExecutionRecords.Parse(Name, ExecutionLog).Where(e => e.EndedAt is null).Select(e => e.JobId + "/" + e.Attempt).ToList();
    }
}
