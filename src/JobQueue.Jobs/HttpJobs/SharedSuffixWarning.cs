using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JobQueue.HttpJobs;

/// <summary>
/// Logs a warning at start-up naming the wildcards over shared multi-tenant suffixes that
/// <see cref="HttpJobsOptions.AllowSharedSuffixWildcards"/> accepted (without it the host does not
/// start, <see cref="HttpJobsOptionsValidator"/>).
/// </summary>
public sealed partial class SharedSuffixWarning(HttpTargetPolicy targets, ILogger<SharedSuffixWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (targets.SharedWildcards.Count > 0)
        {
            LogAccepted(logger, string.Join(", ", targets.SharedWildcards));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning,
        Message = "HttpJobs:AllowedHosts has wildcards over shared multi-tenant suffixes ({Wildcards}), accepted by "
                  + "HttpJobs:AllowSharedSuffixWildcards=true: HTTP jobs may call any host under them, anyone's. "
                  + "Secrets still go only to HttpJobs:SecretDestinations; list exact hosts to remove this warning")]
    private static partial void LogAccepted(ILogger logger, string wildcards);
}
