using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;

namespace JobQueue.Database;

/// <summary>DbUp's log lines, written to the migrator's logger.</summary>
internal sealed class DbUpLog(ILogger logger) : IUpgradeLog
{
    public void LogTrace(string format, params object[] args) => logger.LogTrace("{Message}", Format(format, args));

    public void LogDebug(string format, params object[] args) => logger.LogDebug("{Message}", Format(format, args));

    public void LogInformation(string format, params object[] args) => logger.LogInformation("{Message}", Format(format, args));

    public void LogWarning(string format, params object[] args) => logger.LogWarning("{Message}", Format(format, args));

    public void LogError(string format, params object[] args) => logger.LogError("{Message}", Format(format, args));

    public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, "{Message}", Format(format, args));

    private static string Format(string format, object[] args) =>
        args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args);
}
