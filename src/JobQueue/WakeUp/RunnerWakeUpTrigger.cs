using JobQueue.Runner;
using Microsoft.Extensions.Logging;

namespace JobQueue.WakeUp;

/// <summary>
/// What the wake-up queue's trigger does with a message: one draining pass on the host's lifetime
/// (the message's content does not matter; a duplicate finds nothing to do). A failed pass is logged
/// and the message completed all the same: the next wake-up or the timer runs the jobs, and the
/// message does not end in the poison queue.
/// </summary>
public sealed partial class RunnerWakeUpTrigger(JobRunner runner, ILogger<RunnerWakeUpTrigger> logger)
{
    public async Task RunAsync(string message, CancellationToken cancellationToken)
    {
        try
        {
            var report = await runner.RunPassAsync(new RunPassRequest(Drain: true), cancellationToken);
            LogPass(logger, report.Status, report.Processed, report.Drained ?? false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPassFailed(logger, e.GetType().Name, e.Message);
        }
    }

    [LoggerMessage(EventId = 1031, Level = LogLevel.Information, Message = "Wake-up pass: {Status}, {Processed} jobs, drained {Drained}")]
    private static partial void LogPass(ILogger logger, string status, int processed, bool drained);

    [LoggerMessage(EventId = 1032, Level = LogLevel.Warning, Message = "Wake-up pass failed ({ErrorType}): {Error}; the runner timer runs the jobs")]
    private static partial void LogPassFailed(ILogger logger, string errorType, string error);
}
