using JobQueue.Runner;

namespace JobQueue.HttpJobs;

/// <summary>
/// When a request may be sent again inside one attempt: its method is idempotent (GET, HEAD, PUT,
/// DELETE), it carries an <see cref="Header"/> (a job's <c>idempotencyKey</c>, the same on every try),
/// or its sender marked it <see cref="Repeatable"/>. Any other request (a POST or PATCH without a key)
/// is sent once per attempt: a 5xx or a timeout fails the attempt, and the queue's retry decides.
/// </summary>
public static class HttpIdempotency
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 255;

    public static readonly IReadOnlySet<string> IdempotentMethods = new HashSet<string>(StringComparer.Ordinal) { "GET", "HEAD", "PUT", "DELETE" };

    /// <summary>Set by a sender whose request does no harm when received twice (the stats cache invalidation).</summary>
    public static readonly HttpRequestOptionsKey<bool> Repeatable = new("JobQueue.HttpJobs.Repeatable");

    /// <summary>Whether <paramref name="request"/> may be sent again after a 5xx, a 408 or 429, or a connection lost mid-call.</summary>
    public static bool MayRepeat(HttpRequestMessage? request) =>
        request is not null
        && (IdempotentMethods.Contains(request.Method.Method)
            || request.Headers.Contains(Header)
            || (request.Options.TryGetValue(Repeatable, out var repeatable) && repeatable));

    /// <summary>
    /// The <see cref="Header"/> a job's <c>idempotencyKey</c> becomes, or null (no key, or a problem
    /// added to <paramref name="errors"/>). Visible ASCII only, sent as given.
    /// </summary>
    public static HttpJobHeader? KeyHeader(string? key, IReadOnlyList<HttpJobHeader> headers, List<PayloadError> errors)
    {
        if (key is null)
        {
            return null;
        }

        if (key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            errors.Add(new PayloadError("idempotencyKey", $"must be 1 to {MaxKeyLength} visible ASCII characters (no spaces), sent as the {Header} header on every try"));
            return null;
        }

        if (headers.Any(h => h.Name.Equals(Header, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add(new PayloadError("idempotencyKey", $"is given twice: set idempotencyKey or the {Header} header, not both"));
            return null;
        }

        return new HttpJobHeader(Header, key, null, HttpJobHeader.Placeholder);
    }
}
