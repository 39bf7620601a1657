using System.Net;

namespace JobQueue.GamePlatform;

/// <summary>What went wrong with a Game Platform call, as far as the handlers care.</summary>
public enum GamePlatformFailure
{
    /// <summary>5xx, 408, network error or timeout after the client's retries: the API is (for now) down.</summary>
    Unavailable,

    /// <summary>The circuit breaker is open: calls are rejected without reaching the API.</summary>
    CircuitOpen,

    /// <summary>429 after the client's retries (or with a Retry-After longer than it waits).</summary>
    RateLimited,

    /// <summary>401/403: the API key is missing, wrong or revoked.</summary>
    Unauthorized,

    /// <summary>404: the competitor does not exist on the Game Platform.</summary>
    NotFound,

    /// <summary>Any other 4xx or a response that does not match the contract.</summary>
    BadResponse,
}

/// <summary>A failed Game Platform call. The message never contains the API key.</summary>
public sealed class GamePlatformApiException(
    GamePlatformFailure failure, string message, HttpStatusCode? statusCode = null, Exception? inner = null, TimeSpan? retryAfter = null)
    : Exception(message, inner)
{
    /// <summary>With <see cref="GamePlatformFailure.RateLimited"/>: how long the API asked every caller to wait.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public GamePlatformFailure Failure { get; } = failure;

    public HttpStatusCode? StatusCode { get; } = statusCode;

    /// <summary>The API as a whole is not answering (as opposed to one competitor's problem).</summary>
    public bool ApiDown => Failure is GamePlatformFailure.Unavailable or GamePlatformFailure.CircuitOpen or GamePlatformFailure.RateLimited;
}
