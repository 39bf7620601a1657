using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace JobQueue.Benchmarks;

/// <summary>
/// CPU seconds spent by this process (the client) and by the PostgreSQL server (the postmaster's
/// children, read from /proc; zero where /proc is not readable) over a measured span, and the bytes
/// the client allocated (every thread).
/// </summary>
public sealed class CpuMeter
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly int _postmaster;
    private readonly double _client0;
    private readonly double _server0;
    private readonly long _allocated0 = GC.GetTotalAllocatedBytes(precise: true);
    private readonly Stopwatch _wall = Stopwatch.StartNew();

    private CpuMeter(int postmaster)
    {
        _postmaster = postmaster;
        _client0 = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        _server0 = ServerSeconds(postmaster);
    }

    public static async Task<CpuMeter> StartAsync(NpgsqlDataSource dataSource)
    {
        await using var cmd = dataSource.CreateCommand("SELECT pg_backend_pid()");
        var backend = (int)(await cmd.ExecuteScalarAsync())!;
        return new CpuMeter(ParentOf(backend));
    }

    /// <summary>"client 0.20 cores, postgres 0.80 cores, 95 µs CPU/job, client 4.1 KB allocated/job" over the span so far.</summary>
    public string Summary(long jobs)
    {
        var wall = _wall.Elapsed.TotalSeconds;
        var client = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - _client0;
        var server = ServerSeconds(_postmaster) - _server0;
        var perJob = (client + server) / jobs * 1e6;
        var allocatedPerJob = (GC.GetTotalAllocatedBytes(precise: true) - _allocated0) / (double)jobs / 1024;
        return string.Create(CultureInfo.InvariantCulture,
            $"client {client / wall:0.00} cores, postgres {server / wall:0.00} cores, {perJob:0} µs CPU/job, client {allocatedPerJob:0.0} KB allocated/job");
    }

    private static int ParentOf(int pid)
    {
        var stat = Stat(pid);
        return stat is null ? 0 : int.Parse(stat[1], CultureInfo.InvariantCulture);
    }

    private static double ServerSeconds(int postmaster)
    {
        if (postmaster == 0)
        {
            return 0;
        }

        double ticks = 0;
        var self = Stat(postmaster);
        if (self is not null)
        {
            // the postmaster itself plus the children it has reaped (backends that exited)
            ticks += Tick(self, 11) + Tick(self, 12) + Tick(self, 13) + Tick(self, 14);
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            var stat = Stat(pid);
            if (stat is not null && stat[1] == postmaster.ToString(CultureInfo.InvariantCulture))
            {
                ticks += Tick(stat, 11) + Tick(stat, 12);
            }
        }

        return ticks / TicksPerSecond;
    }

    /// <summary>Fields of /proc/pid/stat after the command name: [0]=state, [1]=ppid, [11]=utime, [12]=stime, [13]=cutime, [14]=cstime.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double Tick(string[] stat, int field) => double.Parse(stat[field], CultureInfo.InvariantCulture);
}
