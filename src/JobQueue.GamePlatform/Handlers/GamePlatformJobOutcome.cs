using JobQueue.GamePlatform;
using JobQueue.Runner;
using JobQueue.Secrets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobQueue.Handlers;

/// <summary>One competitor that could not be synced or swept, as stored in the job's output.</summary>
public sealed record CompetitorError(long CompetitorId, string CoachId, string UserId, string Failure, string Error);

/// <summary>The rules both Game Platform handlers share: payload checks, configuration, when a run fails.</summary>
internal static class GamePlatformJobOutcome
{
    /// <summary>At most this many per-competitor errors are kept in a job's output (the count is always exact).</summary>
    public const int MaxErrorsInOutput = 100;

    public static IEnumerable<PayloadError> ValidateCoachId(string? coachId)
    {
        if (coachId is not null && (string.IsNullOrWhiteSpace(coachId) || coachId.Length > 200))
        {
            yield return new PayloadError("coachId", "must be 1 to 200 characters (omit it for every coach)");
        }
    }

    public static void EnsureConfigured(GamePlatformOptions options)
    {
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out _))
        {
            throw new PermanentJobException(
                $"setting {GamePlatformOptions.Section}:{nameof(GamePlatformOptions.BaseUrl)} is missing or not an absolute URL");
        }
    }

    /// <summary>The competitor's error for the output, logged as a warning.</summary>
    public static CompetitorError Describe(long competitorId, string coachId, string userId, Exception e, string taskType, ILogger logger)
    {
        CompetitorError error = e switch
        {
            GamePlatformApiException api => new(competitorId, coachId, userId, api.Failure.ToString(), api.Message),
            NpgsqlException db => new(competitorId, coachId, userId, "Database", db.Message),
            _ => new(competitorId, coachId, userId, e.GetType().Name, e.Message),
        };
        GamePlatformLog.CompetitorFailed(logger, taskType, userId, coachId, error.Failure, error.Error);
        return error;
    }

    /// <summary>
    /// A run fails (and the queue retries it) when competitors were in scope but none succeeded, or
    /// when the API went down during the run (circuit open). It fails for good when every failure
    /// was the API rejecting the key. Otherwise it succeeds and its output lists the errors.
    /// </summary>
    public static void ThrowIfFailed(string what, int total, int succeeded, IReadOnlyCollection<CompetitorError> errors)
    {
        if (errors.Count == 0)
        {
            return;
        }

        var first = errors.First();
        var summary = $"{what}: {succeeded} of {total} competitors done, {errors.Count} failed (first: {first.UserId}: {first.Error})";
        if (succeeded == 0 && errors.All(e => e.Failure == nameof(GamePlatformFailure.Unauthorized)))
        {
            throw new PermanentJobException(summary + "; the Game Platform rejects the API key (secret game-platform-api-key)");
        }

        if (succeeded == 0 && errors.All(e => e.Failure == nameof(SecretNotFoundException)))
        {
            throw new PermanentJobException(summary + "; set the secret game-platform-api-key");
        }

        if (succeeded == 0)
        {
            throw new GamePlatformJobFailedException(summary);
        }

        if (errors.Any(e => e.Failure == nameof(GamePlatformFailure.CircuitOpen)))
        {
            throw new GamePlatformJobFailedException(summary + "; the API went down during the run (circuit open)");
        }
    }

    public static IReadOnlyList<CompetitorError> ForOutput(IEnumerable<CompetitorError> errors) =>
        errors.OrderBy(e => e.CompetitorId).Take(MaxErrorsInOutput).ToList();
}

/// <summary>A Game Platform run that did nothing useful: the queue retries it with backoff.</summary>
public sealed class GamePlatformJobFailedException(string message) : Exception(message);
