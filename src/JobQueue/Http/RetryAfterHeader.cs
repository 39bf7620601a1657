namespace JobQueue.Http;

/// <summary>The <c>Retry-After</c> header of a response, read the same way by every HTTP client of the app.</summary>
public static class RetryAfterHeader
{
    /// <summary>The response's <c>Retry-After</c> (seconds or an HTTP date) as a delay, or null.</summary>
    public static TimeSpan? Delay(HttpResponseMessage response, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(time);
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
