using System.Globalization;

namespace JobQueue.Tests.Chaos;

/// <summary>One execution of a chaos job's handler, from a worker's execution log.</summary>
public sealed record Execution(string Instance, Guid JobId, int Attempt, string RunnerId, DateTimeOffset StartedAt, DateTimeOffset? EndedAt);

/// <summary>Reads the execution logs the chaos workers write (ChaosWorker.cs in JobQueue.TestWorker).</summary>
public static class ExecutionRecords
{
    public static List<Execution> Parse(string instance, string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var ended = new Dictionary<(Guid, int), DateTimeOffset>();
        var all = new List<Execution>();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split(' ');
            // a line cut by a kill -9 in the middle of its write is incomplete: not a whole event
            if (f is ["S", var id, var attempt, var runner, var ms] && long.TryParse(ms, CultureInfo.InvariantCulture, out var s))
            {
                var e = new Execution(instance, Guid.Parse(id), int.Parse(attempt, CultureInfo.InvariantCulture), runner, FromMs(s), null);
                all.Add(e);
            }
            else if (f is ["E", var eid, var eattempt, var ems] && long.TryParse(ems, CultureInfo.InvariantCulture, out var t))
            {
                ended[(Guid.Parse(eid), int.Parse(eattempt, CultureInfo.InvariantCulture))] = FromMs(t);
            }
        }

        return all.Select(e => ended.TryGetValue((e.JobId, e.Attempt), out var end) ? e with { EndedAt = end } : e).ToList();
    }

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
