using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;

namespace JobQueue.Cron;

/// <summary>
/// A schedule in words for operators ("Every 30 minutes", "Hourly at minute 0", "Daily at 03:15 UTC");
/// the raw expression where no simple phrase fits. pg_cron runs schedules in UTC (cron.timezone).
/// </summary>
public static partial class CronScheduleDescriber
{
    private static readonly string[] Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    public static string Describe(string schedule)
    {
        var parts = schedule.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
        {
            return DescribeSpecial(schedule.Trim());
        }

        var (minute, hour, dom, month, dow) = (parts[0], parts[1], parts[2], parts[3], parts[4]);
        var everyDay = dom == "*" && month == "*" && dow == "*";
        if (hour == "*" && everyDay)
        {
            if (minute == "*" || minute == "*/1")
            {
                return "Every minute";
            }

            if (Step(minute) is { } n)
            {
                return $"Every {n} minutes";
            }

            if (Num(minute) is { } m)
            {
                return $"Hourly at minute {m}";
            }
        }

        if (Num(minute) is not { } mm)
        {
            return schedule;
        }

        if (Step(hour) is { } everyHours && everyDay)
        {
            return $"Every {everyHours} hours at minute {mm}";
        }

        var hours = NumList(hour);
        if (hours is null)
        {
            return schedule;
        }

        var at = string.Join(" and ", hours.Select(h => $"{h:00}:{mm:00}")) + " UTC";
        if (everyDay)
        {
            return $"Daily at {at}";
        }

        if (dom == "*" && month == "*")
        {
            if (dow is "1-5")
            {
                return $"Weekdays (Monday to Friday) at {at}";
            }

            if (NumList(dow) is { } days && days.All(d => d <= 7))
            {
                return days.Count == 1
                    ? $"Weekly on {Days[days[0]]} at {at}"
                    : $"Every {string.Join(", ", days.Select(d => Days[d]))} at {at}";
            }
        }

        if (month == "*" && dow == "*" && Num(dom) is { } day)
        {
            return $"Monthly on day {day} at {at}";
        }

        return schedule;
    }

    /// <summary>
    /// The next <paramref name="count"/> times (UTC) a 5-field schedule fires after <paramref name="from"/>;
    /// empty for what Cronos's standard format does not parse (macros, seconds).
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> NextRuns(string schedule, DateTimeOffset from, int count)
    {
        if (!CronExpression.TryParse(schedule, CronFormat.Standard, out var expression))
        {
            return [];
        }

        var runs = new List<DateTimeOffset>(count);
        var after = from.UtcDateTime;
        while (runs.Count < count && expression.GetNextOccurrence(after) is { } next)
        {
            runs.Add(new DateTimeOffset(next, TimeSpan.Zero));
            after = next;
        }

        return runs;
    }

    private static string DescribeSpecial(string schedule)
    {
        var seconds = SecondsPattern().Match(schedule);
        if (seconds.Success)
        {
            return $"Every {seconds.Groups[1].Value} seconds";
        }

        return schedule switch
        {
            "@hourly" => "Hourly at minute 0",
            "@daily" or "@midnight" => "Daily at 00:00 UTC",
            "@weekly" => "Weekly on Sunday at 00:00 UTC",
            "@monthly" => "Monthly on day 1 at 00:00 UTC",
            "@yearly" or "@annually" => "Yearly on 1 January at 00:00 UTC",
            "@reboot" => "When pg_cron starts",
            _ => schedule,
        };
    }

    private static int? Num(string field) =>
        field.Length is > 0 and <= 2 && field.All(char.IsAsciiDigit) ? int.Parse(field, CultureInfo.InvariantCulture) : null;

    private static int? Step(string field) =>
        field.StartsWith("*/", StringComparison.Ordinal) && Num(field[2..]) is { } n && n > 1 ? n : null;

    private static List<int>? NumList(string field)
    {
        var values = field.Split(',').Select(Num).ToList();
        return values.All(v => v is not null) ? values.Select(v => v!.Value).ToList() : null;
    }

    [GeneratedRegex(@"^([1-9][0-9]?) seconds?$", RegexOptions.CultureInvariant)]
    private static partial Regex SecondsPattern();
}
