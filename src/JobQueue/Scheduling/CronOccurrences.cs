using Cronos;

namespace JobQueue.Scheduling;

/// <summary>Cronos has no "previous occurrence": the newest one at or before a time, and the count between two.</summary>
public static class CronOccurrences
{
    private static readonly TimeSpan[] Windows =
        [TimeSpan.FromMinutes(2), TimeSpan.FromHours(2), TimeSpan.FromDays(2), TimeSpan.FromDays(40), TimeSpan.FromDays(800)];

    /// <summary>The newest occurrence at or before <paramref name="at"/> (searched back up to two years), or null.</summary>
    public static DateTimeOffset? Previous(CronExpression cron, DateTimeOffset at)
    {
        foreach (var window in Windows)
        {
            DateTime? last = null;
            foreach (var occurrence in cron.GetOccurrences(at.UtcDateTime - window, at.UtcDateTime, fromInclusive: true, toInclusive: true))
            {
                last = occurrence;
            }

            if (last is not null)
            {
                return new DateTimeOffset(last.Value, TimeSpan.Zero);
            }
        }

        return null;
    }

    /// <summary>Occurrences after <paramref name="after"/> up to and including <paramref name="until"/>, counted up to <paramref name="cap"/>.</summary>
    public static int CountBetween(CronExpression cron, DateTimeOffset after, DateTimeOffset until, int cap = 10_000) =>
        cron.GetOccurrences(after.UtcDateTime, until.UtcDateTime, fromInclusive: false, toInclusive: true).Take(cap).Count();
}
