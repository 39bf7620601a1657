using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JobQueue.Scheduling;

/// <summary>
/// Runs <see cref="ScheduleCatchUp"/> when the host starts and every <see cref="ScheduleExpressions.CatchUpInterval"/>,
/// on both hosts (a Functions worker runs it whenever an instance is up, so missed ticks are caught up
/// even when the timers themselves stopped firing). Off with <c>Schedules:Enabled=false</c>.
/// </summary>
public sealed partial class ScheduleCatchUpService(
    ScheduleCatchUp catchUp, ScheduleExpressions expressions, TimeProvider time, ILogger<ScheduleCatchUpService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!expressions.Enabled)
        {
            return;
        }

        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await catchUp.RunAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e.GetType().Name, e.Message);
            }

            try
            {
                await Task.Delay(expressions.CatchUpInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Missed-tick check failed ({ErrorType}): {Error}; trying again later")]
    private static partial void LogFailed(ILogger logger, string errorType, string error);
}
