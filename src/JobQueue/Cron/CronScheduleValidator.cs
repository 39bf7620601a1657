using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;

namespace JobQueue.Cron;

/// <summary>
/// Checks a 5-field cron schedule the way pg_cron (1.4 and later) parses it, and with Cronos
/// (<see cref="CronFormat.Standard"/>): digits and <c>* , - /</c> only, a step only after <c>*</c> or a
/// range, values in range, and a schedule that fires at all. The reason names the wrong field.
/// </summary>
public static partial class CronScheduleValidator
{
    public const int MaxLength = 100;

    public static readonly (string Name, int Min, int Max)[] Fields =
    [
        ("minute", 0, 59),
        ("hour", 0, 23),
        ("day of month", 1, 31),
        ("month", 1, 12),
        ("day of week", 0, 7),
    ];

    /// <summary>Null when valid (then <paramref name="normalized"/> has single spaces), else the reason.</summary>
    public static string? Validate(string? schedule, out string normalized)
    {
        normalized = "";
        if (string.IsNullOrWhiteSpace(schedule))
        {
            return "is required: 5 fields (minute hour day-of-month month day-of-week), e.g. \"*/30 * * * *\"";
        }

        if (schedule.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters";
        }

        var parts = schedule.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != Fields.Length)
        {
            return parts[0].StartsWith('@') || schedule.Contains("second", StringComparison.OrdinalIgnoreCase)
                ? "must be 5 cron fields (minute hour day-of-month month day-of-week); macros and seconds are not accepted"
                : $"must have exactly 5 fields (minute hour day-of-month month day-of-week), found {parts.Length}";
        }

        for (var i = 0; i < parts.Length; i++)
        {
            if (CheckField(parts[i], Fields[i].Min, Fields[i].Max) is { } reason)
            {
                return $"field {i + 1} ({Fields[i].Name}) \"{parts[i]}\": {reason}";
            }
        }

        var candidate = string.Join(' ', parts);
        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(candidate, CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            return $"is not a valid cron expression: {e.Message}";
        }

        if (expression.GetNextOccurrence(DateTime.UtcNow) is null)
        {
            return "never fires (no such date)";
        }

        normalized = candidate;
        return null;
    }

    private static string? CheckField(string field, int min, int max)
    {
        foreach (var item in field.Split(','))
        {
            var m = ItemPattern().Match(item);
            if (!m.Success)
            {
                return item.Length == 0
                    ? "has an empty list item"
                    : "use numbers with * , - / only (names, L, W, #, ? are not supported by pg_cron)";
            }

            var step = m.Groups["step"].Success ? Number(m.Groups["step"].Value) : (int?)null;
            if (m.Groups["from"].Success)
            {
                var from = Number(m.Groups["from"].Value);
                var to = m.Groups["to"].Success ? Number(m.Groups["to"].Value) : (int?)null;
                if (from < min || from > max || to < min || to > max)
                {
                    return $"values must be between {min} and {max}";
                }

                if (to < from)
                {
                    return $"range {from}-{to} runs backwards";
                }

                if (step is not null && to is null)
                {
                    return "a step (/n) needs * or a range before it, e.g. */15 or 0-30/15";
                }
            }

            if (step is < 1 || step > max)
            {
                return $"step must be between 1 and {max}";
            }
        }

        return null;
    }

    private static int Number(string digits) =>
        digits.Length > 3 ? int.MaxValue : int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?:\*|(?<from>[0-9]+)(?:-(?<to>[0-9]+))?)(?:/(?<step>[0-9]+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex ItemPattern();
}
