using Microsoft.Extensions.Logging;

namespace JobQueue.Handlers;

/// <summary>The Game Platform handlers' structured log events (the runner logs each attempt's outcome).</summary>
internal static partial class GamePlatformLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "{TaskType}: competitor {UserId} (coach {CoachId}) failed: {Failure}: {Error}")]
    public static partial void CompetitorFailed(ILogger logger, string taskType, string userId, string coachId, string failure, string error);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information,
        Message = "{TaskType}: {Done} of {Total} competitors done, {Failed} failed, {Changed} changed (dry run: {DryRun})")]
    public static partial void RunFinished(ILogger logger, string taskType, int done, int total, int failed, int changed, bool dryRun);
}
