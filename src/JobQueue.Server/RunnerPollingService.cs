using JobQueue.Runner;
using Microsoft.Extensions.Options;

namespace JobQueue.Server;

/// <summary>
/// Server only: a runner pass every <c>Runner:PollIntervalSeconds</c> (default 1 s, 0 = off), so
/// that local jobs start within about a second. A full pass is followed at once by the next one.
/// </summary>
public sealed partial class RunnerPollingService(
    JobRunner runner, IOptions<ServerRunnerOptions> options, IOptions<RunnerOptions> runnerOptions, TimeProvider time,
    ILogger<RunnerPollingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.PollIntervalSeconds);
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var full = false;
            try
            {
                var report = await runner.RunPassAsync(new RunPassRequest(), stoppingToken);
                full = report.Processed >= Math.Min(runnerOptions.Value.DefaultLimit, runnerOptions.Value.MaxLimit);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogPassFailed(logger, e.GetType().Name, e.Message);
            }

            if (!full)
            {
                try
                {
                    await Task.Delay(interval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Polling runner pass failed ({ErrorType}): {Error}")]
    private static partial void LogPassFailed(ILogger logger, string errorType, string error);
}
