using System.Globalization;
using System.Text;

namespace JobQueue.Tests.Chaos;

/// <summary>One row of job_queue_attempts, as the analysis reads it.</summary>
public sealed record AttemptRow(Guid JobId, int Attempt, string RunnerId, string Outcome);

/// <summary>A PostgreSQL restart of the run: fast or immediate, from the stop to the end of the start.</summary>
public sealed record RestartWindow(string Mode, DateTimeOffset From, DateTimeOffset To);

/// <summary>
/// What a chaos run proves, from the database's records (jobs, attempt history) and the workers'
/// execution logs: no job lost, none completed twice, no attempt executed twice, every re-execution
/// explained by a fault (its runner killed or frozen, or the attempt in flight around a PostgreSQL
/// restart) and how long a killed runner's jobs took to run again.
/// </summary>
public sealed class ChaosAnalysis
{
    /// <summary>An attempt whose finish may have hit a connection broken by a restart: in flight this close to it.</summary>
    public static readonly TimeSpan RestartReach = TimeSpan.FromSeconds(30);

    public List<string> Violations { get; } = [];

    public Dictionary<string, int> ReexecutionsByCause { get; } = new(StringComparer.Ordinal);

    public List<double> KillToRerunSeconds { get; } = [];

    public List<double> FreezeToRerunSeconds { get; } = [];

    public int Executions { get; private set; }

    public int LateResultsRefused { get; private set; }

    public static ChaosAnalysis Run(
        IReadOnlyDictionary<Guid, string> jobStatus, IReadOnlyList<AttemptRow> attempts, IReadOnlyList<Execution> executions,
        IReadOnlyList<ChaosWorkers.Instance> instances, IReadOnlyList<RestartWindow> restarts)
    {
        var a = new ChaosAnalysis { Executions = executions.Count };
        foreach (var (id, status) in jobStatus.Where(j => j.Value != "succeeded"))
        {
            a.Violations.Add($"job {id} lost: {status}");
        }

        foreach (var twice in attempts.Where(r => r.Outcome == "succeeded").GroupBy(r => r.JobId).Where(g => g.Count() > 1))
        {
            a.Violations.Add($"job {twice.Key} completed {twice.Count()} times");
        }

        foreach (var repeated in executions.GroupBy(e => (e.JobId, e.Attempt)).Where(g => g.Count() > 1))
        {
            a.Violations.Add($"job {repeated.Key.JobId} attempt {repeated.Key.Attempt} executed {repeated.Count()} times ({string.Join(", ", repeated.Select(e => e.Instance))})");
        }

        foreach (var other in attempts.Where(r => r.Outcome is not ("succeeded" or "lease_expired")))
        {
            a.Violations.Add($"job {other.JobId} attempt {other.Attempt}: outcome {other.Outcome} (the chaos handler never fails)");
        }

        var byInstance = instances.ToDictionary(i => i.Name);
        var outcomes = attempts.ToDictionary(r => (r.JobId, r.Attempt), r => r.Outcome);
        var runsOfJob = executions.GroupBy(e => e.JobId).ToDictionary(g => g.Key, g => g.OrderBy(e => e.Attempt).ToList());
        foreach (var runs in runsOfJob.Values.Where(r => r.Count > 1))
        {
            foreach (var e in runs.Where(e => outcomes.GetValueOrDefault((e.JobId, e.Attempt)) != "succeeded"))
            {
                var cause = Cause(e, byInstance[e.Instance], restarts);
                if (cause is null)
                {
                    a.Violations.Add($"job {e.JobId} attempt {e.Attempt} on {e.Instance} ({e.StartedAt:HH:mm:ss.fff}-{e.EndedAt:HH:mm:ss.fff}) "
                                     + $"was executed again with no fault to explain it (outcome {outcomes.GetValueOrDefault((e.JobId, e.Attempt)) ?? "none"})");
                    continue;
                }

                a.ReexecutionsByCause[cause] = a.ReexecutionsByCause.GetValueOrDefault(cause) + 1;
                if (e.EndedAt is not null)
                {
                    a.LateResultsRefused++;
                }
            }
        }

        // from a fault to the next execution of every job its runner was executing (or finishing) then
        foreach (var instance in instances)
        {
            var lost = attempts
                .Where(r => r.Outcome == "lease_expired" && r.RunnerId.StartsWith("chaos-" + instance.Name + ":", StringComparison.Ordinal))
                .Select(r => executions.FirstOrDefault(e => e.Instance == instance.Name && e.JobId == r.JobId && e.Attempt == r.Attempt))
                .OfType<Execution>()
                .ToList();
            if (instance.KilledAt is { } killed)
            {
                a.KillToRerunSeconds.AddRange(NextRuns(lost.Where(e => InFlight(e, killed)), runsOfJob, killed));
            }

            foreach (var (from, _) in instance.Frozen)
            {
                a.FreezeToRerunSeconds.AddRange(NextRuns(lost.Where(e => InFlight(e, from)), runsOfJob, from));
            }
        }

        return a;
    }

    public string Summary(ChaosOptions options, TimeSpan duration, int kills, int freezes, IReadOnlyList<RestartWindow> restarts) =>
        new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"chaos: {options.Processes} processes, {options.Jobs:N0} jobs ({options.MinMs}-{options.MaxMs} ms each), lease {options.Lease.TotalSeconds:0} s; ")
            .Append(CultureInfo.InvariantCulture, $"{kills} kill -9, {restarts.Count} PostgreSQL restarts ({string.Join(", ", restarts.Select(r => $"{r.Mode} {(r.To - r.From).TotalSeconds:0.0} s"))}), {freezes} freezes past the lease; ")
            .Append(CultureInfo.InvariantCulture, $"drained in {duration.TotalSeconds:0} s\n")
            .Append(CultureInfo.InvariantCulture, $"  lost {Violations.Count(v => v.Contains(" lost", StringComparison.Ordinal))}, completed twice {Violations.Count(v => v.Contains(" completed ", StringComparison.Ordinal))}, ")
            .Append(CultureInfo.InvariantCulture, $"attempts executed twice {Violations.Count(v => v.Contains(" executed ", StringComparison.Ordinal) && v.Contains(" times", StringComparison.Ordinal))}, ")
            .Append(CultureInfo.InvariantCulture, $"unexplained re-executions {Violations.Count(v => v.Contains("no fault", StringComparison.Ordinal))}\n")
            .Append(CultureInfo.InvariantCulture, $"  executions {Executions:N0}; re-executions by cause: {string.Join(", ", ReexecutionsByCause.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"))}; late results refused (fencing) {LateResultsRefused}\n")
            .Append(CultureInfo.InvariantCulture, $"  kill -> job running again: {Figures(KillToRerunSeconds)}\n")
            .Append(CultureInfo.InvariantCulture, $"  freeze -> job running again elsewhere: {Figures(FreezeToRerunSeconds)}")
            .ToString();

    /// <summary>Started before the fault, and not finished long before it (its result may not have been recorded yet).</summary>
    private static bool InFlight(Execution e, DateTimeOffset fault) =>
        e.StartedAt <= fault && (e.EndedAt is null || e.EndedAt >= fault - TimeSpan.FromSeconds(2));

    private static IEnumerable<double> NextRuns(IEnumerable<Execution> interrupted, Dictionary<Guid, List<Execution>> runsOfJob, DateTimeOffset fault)
    {
        foreach (var e in interrupted)
        {
            var next = runsOfJob.GetValueOrDefault(e.JobId)?.FirstOrDefault(n => n.Attempt > e.Attempt);
            if (next is not null)
            {
                yield return (next.StartedAt - fault).TotalSeconds;
            }
        }
    }

    private static string? Cause(Execution e, ChaosWorkers.Instance instance, IReadOnlyList<RestartWindow> restarts)
    {
        var end = e.EndedAt ?? DateTimeOffset.MaxValue;
        if (instance.Frozen.Any(f => e.StartedAt <= f.To && end >= f.From - TimeSpan.FromSeconds(2)))
        {
            return "freeze";
        }

        if (instance.KilledAt is { } killed && InFlight(e, killed))
        {
            return "kill";
        }

        if (restarts.Any(r => e.StartedAt <= r.To + RestartReach && end >= r.From - TimeSpan.FromSeconds(2)))
        {
            return "restart";
        }

        return null;
    }

    private static string Figures(List<double> seconds)
    {
        if (seconds.Count == 0)
        {
            return "none measured";
        }

        var sorted = seconds.Order().ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"p50 {sorted[sorted.Count / 2]:0.0} s, max {sorted[^1]:0.0} s (n={sorted.Count})");
    }
}
