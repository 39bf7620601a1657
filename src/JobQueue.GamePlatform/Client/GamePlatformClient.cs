using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace JobQueue.GamePlatform;

/// <summary>
/// The typed Game Platform client: the two endpoints of CONTRACT.md. Resilience (timeouts, retries,
/// circuit breaker) is the HTTP pipeline's (<see cref="GamePlatformResilience"/>), the API key the
/// <see cref="GamePlatformApiKeyHandler"/>'s. Failures surface as <see cref="GamePlatformApiException"/>.
/// </summary>
public sealed class GamePlatformClient(HttpClient http, TimeProvider time)
{
    /// <summary>A guard against a cursor that never ends.</summary>
    public const int MaxPages = 10_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>All activity of <paramref name="userId"/> strictly after <paramref name="afterUnix"/>, oldest first, every page.</summary>
    public async Task<IReadOnlyList<GamePlatformActivity>> GetActivityAfterAsync(
        string userId, long afterUnix, int pageSize, CancellationToken cancellationToken = default)
    {
        var items = new List<GamePlatformActivity>();
        string? cursor = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var path = string.Create(CultureInfo.InvariantCulture,
                $"v1/competitors/{Uri.EscapeDataString(userId)}/activity?after={afterUnix}&limit={Math.Clamp(pageSize, 1, 1000)}");
            if (cursor is not null)
            {
                path += "&cursor=" + Uri.EscapeDataString(cursor);
            }

            var result = await GetJsonAsync<GamePlatformActivityPage>(path, cancellationToken);
            if (result.Items is null)
            {
                throw new GamePlatformApiException(GamePlatformFailure.BadResponse, $"GET {Redact(path)}: no items in the response");
            }

            items.AddRange(result.Items);
            if (string.IsNullOrEmpty(result.NextCursor))
            {
                return items;
            }

            cursor = result.NextCursor;
        }

        throw new GamePlatformApiException(GamePlatformFailure.BadResponse, $"activity of {userId}: more than {MaxPages} pages");
    }

    /// <summary>The current totals of <paramref name="userId"/> (the source of truth).</summary>
    public Task<GamePlatformTotals> GetTotalsAsync(string userId, CancellationToken cancellationToken = default) =>
        GetJsonAsync<GamePlatformTotals>($"v1/competitors/{Uri.EscapeDataString(userId)}/totals", cancellationToken);

    private async Task<T> GetJsonAsync<T>(string path, CancellationToken cancellationToken)
    {
        if (http.BaseAddress is null)
        {
            throw new InvalidOperationException($"setting {GamePlatformOptions.Section}:{nameof(GamePlatformOptions.BaseUrl)} is missing");
        }

        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (BrokenCircuitException e)
        {
            throw new GamePlatformApiException(GamePlatformFailure.CircuitOpen,
                $"GET {Redact(path)}: the circuit is open after repeated failures, the API is treated as down", null, e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new GamePlatformApiException(GamePlatformFailure.Unavailable, $"GET {Redact(path)}: timed out ({e.Timeout.TotalSeconds:0.###} s)", null, e);
        }
        catch (HttpRequestException e)
        {
            throw new GamePlatformApiException(GamePlatformFailure.Unavailable, $"GET {Redact(path)}: {e.Message}", null, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GamePlatformApiException(GamePlatformFailure.Unavailable, $"GET {Redact(path)}: timed out", null, e);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                        ?? throw new JsonException("empty body");
                }
                catch (JsonException e)
                {
                    throw new GamePlatformApiException(GamePlatformFailure.BadResponse, $"GET {Redact(path)}: the response is not the expected JSON", response.StatusCode, e);
                }
            }

            var status = (int)response.StatusCode;
            var failure = response.StatusCode switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => GamePlatformFailure.Unauthorized,
                HttpStatusCode.NotFound => GamePlatformFailure.NotFound,
                HttpStatusCode.TooManyRequests => GamePlatformFailure.RateLimited,
                HttpStatusCode.RequestTimeout => GamePlatformFailure.Unavailable,
                _ when status >= 500 => GamePlatformFailure.Unavailable,
                _ => GamePlatformFailure.BadResponse,
            };
            var retryAfter = failure == GamePlatformFailure.RateLimited ? GamePlatformResilience.RetryAfter(response, time) : null;
            var detail = retryAfter is { } wait ? $" (Retry-After {wait.TotalSeconds:0} s)" : "";
            throw new GamePlatformApiException(failure, $"GET {Redact(path)}: HTTP {status} {failure}{detail}", response.StatusCode, retryAfter: retryAfter);
        }
    }

    /// <summary>The path without its query (cursors are opaque and long).</summary>
    private static string Redact(string path) => path.Split('?')[0];
}
