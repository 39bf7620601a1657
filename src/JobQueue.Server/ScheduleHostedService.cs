using Cronos;
using JobQueue.Database;
using JobQueue.Scheduling;

namespace JobQueue.Server;

/// <summary>
/// Runs every schedule of <see cref="ScheduleTable.All"/> with its Cronos expression (6 fields, UTC;
/// setting <c>Schedules:&lt;Name&gt;</c> overrides the default). At each tick every instance asks the
/// database; only one wins the tick (advisory lock + recorded last tick) and runs it, like the
/// Functions timer singleton. <c>Schedules:Enabled=false</c> turns them off on this instance.
/// </summary>
public sealed partial class ScheduleHostedService(
    ScheduleExpressions expressions, ScheduleTable table, ScheduleTickStore ticks, ScheduleRunner scheduleRunner, DatabaseReadiness readiness, TimeProvider time,
    ILogger<ScheduleHostedService> logger) : BackgroundService
{
    private static readonly TimeSpan PastDueAfter = TimeSpan.FromMinutes(1);
    private readonly string instance = $"{Environment.MachineName}:{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!expressions.Enabled)
        {
            return;
        }

        // the server runs the queue's upkeep as a loop of its own (MaintenanceHostedService)
        var schedules = table.All.Where(s => s.Action != ScheduleAction.QueueMaintenance).Select(s => (s, expressions.For(s))).ToList();
        // not before the database start-up has succeeded (migrations applied)
        await readiness.WaitAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Task.WhenAll(schedules.Select(s => RunScheduleAsync(s.Item1, s.Item2, stoppingToken)));
    }

    private async Task RunScheduleAsync(ScheduleDefinition schedule, CronExpression cron, CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = cron.GetNextOccurrence(time.GetUtcNow().UtcDateTime);
            if (next is null)
            {
                return;
            }

            var tick = new DateTimeOffset(next.Value, TimeSpan.Zero);
            try
            {
                var wait = tick - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, stoppingToken);
                }

                var pastDue = time.GetUtcNow() - tick > PastDueAfter;
                if (await ticks.ClaimTickAsync(schedule.Name, tick, instance, stoppingToken))
                {
                    await scheduleRunner.FireAsync(schedule, pastDue, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogTickFailed(logger, schedule.Name, tick, e.GetType().Name, e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "Schedule {Schedule} tick {Tick} failed ({ErrorType}): {Error}")]
    private static partial void LogTickFailed(ILogger logger, string schedule, DateTimeOffset tick, string errorType, string error);
}
