using JobQueue.Cron;

namespace JobQueue.Scheduling;

/// <summary>A module's schedule: the app's timer, and the same standing job as pg_cron runs it (or none).</summary>
public sealed record ScheduleRegistration(ScheduleDefinition Timer, StandingSchedule? PgCron);
