using Cronos;
using Microsoft.Extensions.Configuration;

namespace JobQueue.Scheduling;

/// <summary>Each schedule's cron expression (<c>Schedules:&lt;Name&gt;</c>, 6 fields, UTC) and missed-tick policy.</summary>
public sealed class ScheduleExpressions(IConfiguration configuration)
{
    public CronExpression For(ScheduleDefinition schedule)
    {
        var text = configuration[schedule.SettingKey];
        text = string.IsNullOrWhiteSpace(text) ? schedule.DefaultCron : text;
        try
        {
            return CronExpression.Parse(text, CronFormat.IncludeSeconds);
        }
        catch (CronFormatException e)
        {
            throw new InvalidOperationException($"setting {schedule.SettingKey} = '{text}' is not a 6-field cron expression: {e.Message}", e);
        }
    }

    public MissedTickPolicy PolicyFor(ScheduleDefinition schedule)
    {
        var text = configuration[schedule.MissedPolicyKey];
        return string.IsNullOrWhiteSpace(text) ? schedule.DefaultMissedPolicy
            : Enum.TryParse<MissedTickPolicy>(text, ignoreCase: true, out var policy) ? policy
            : throw new InvalidOperationException($"setting {schedule.MissedPolicyKey} = '{text}' must be Once or Skip");
    }

    /// <summary><c>Schedules:Enabled</c> (default true): the schedules and their catch-up run on this instance.</summary>
    public bool Enabled => configuration.GetValue($"{Schedules.Section}:Enabled", true);

    /// <summary><c>Schedules:MissedGraceSeconds</c> (default 120): how late a tick may be before it counts as missed.</summary>
    public TimeSpan MissedGrace => TimeSpan.FromSeconds(Math.Max(10, configuration.GetValue($"{Schedules.Section}:MissedGraceSeconds", 120)));

    /// <summary><c>Schedules:CatchUpIntervalSeconds</c> (default 60): how often each instance looks for missed ticks.</summary>
    public TimeSpan CatchUpInterval => TimeSpan.FromSeconds(Math.Max(5, configuration.GetValue($"{Schedules.Section}:CatchUpIntervalSeconds", 60)));
}
