using JobQueue.Cron;

namespace JobQueue.Scheduling;

/// <summary>
/// The composed schedules: the engine's own (<see cref="Schedules.All"/>: the runner pass, the queue's
/// upkeep) and those the modules registered (<see cref="ScheduleRegistration"/>). Functions has one timer
/// function per entry; the server runs them with a hosted service.
/// </summary>
public sealed class ScheduleTable(IEnumerable<ScheduleRegistration> modules)
{
    private readonly List<ScheduleRegistration> registrations = [.. modules];

    public IReadOnlyList<ScheduleDefinition> All => [.. registrations.Select(r => r.Timer), .. Schedules.All];

    /// <summary>The standing jobs as pg_cron runs them (<see cref="StandingCronInstaller"/>).</summary>
    public IReadOnlyList<StandingSchedule> Standing => [.. registrations.Where(r => r.PgCron is not null).Select(r => r.PgCron!)];

    public ScheduleDefinition Get(string name) =>
        All.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"no schedule '{name}'", nameof(name));
}
