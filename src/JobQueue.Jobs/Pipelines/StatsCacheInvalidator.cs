using System.Net.Http.Json;
using JobQueue.HttpJobs;
using JobQueue.Runner;
using JobQueue.Secrets;
using Microsoft.Extensions.Options;

namespace JobQueue.Pipelines;

/// <summary>What the invalidation did: when, how long, with which tags (or why it was skipped).</summary>
public sealed record StatsInvalidation(string Status, IReadOnlyList<string> Tags, int? HttpStatus, int Requests, long DurationMs, DateTimeOffset At);

/// <summary>
/// The stats pipeline's last step: one POST <c>{"tags": [...], "jobId", "triggeredBy", "matchId"}</c> to
/// <see cref="StatsUpdateOptions.CacheInvalidationUrl"/> with the token from
/// <see cref="StatsUpdateOptions.CacheInvalidationSecret"/> in <see cref="StatsUpdateOptions.CacheInvalidationHeader"/>,
/// through the <see cref="ClientName"/> client (the HTTP jobs' resilience pipeline). A failure that
/// outlasts the retries fails the job, which the queue retries; the token is masked in any error.
/// </summary>
public sealed class StatsCacheInvalidator(IHttpClientFactory clients, ISecretProvider secrets, IOptions<StatsUpdateOptions> options, TimeProvider time)
{
    public const string ClientName = "jobqueue-stats-cache-invalidation";

    public async Task<StatsInvalidation> InvalidateAsync(
        IReadOnlyList<string> tags, Guid jobId, string? triggeredBy, string? matchId, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.CacheInvalidationUrl) || !Uri.TryCreate(o.CacheInvalidationUrl, UriKind.Absolute, out var url))
        {
            return new StatsInvalidation("skipped: Pipelines:StatsUpdate:CacheInvalidationUrl is not set", tags, null, 0, 0, time.GetUtcNow());
        }

        if (tags.Count == 0)
        {
            return new StatsInvalidation("skipped: no tags", tags, null, 0, 0, time.GetUtcNow());
        }

        string token;
        try
        {
            token = await secrets.GetAsync(o.CacheInvalidationSecret, cancellationToken);
        }
        catch (SecretNotFoundException e)
        {
            throw new PermanentJobException("cache invalidation: " + e.Message);
        }

        var redactor = new SecretRedactor();
        redactor.Add(token);
        var header = o.CacheInvalidationFormat.Replace(HttpJobHeader.Placeholder, token, StringComparison.Ordinal);
        redactor.Add(header);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new { tags, jobId, triggeredBy, matchId }),
        };
        request.Headers.TryAddWithoutValidation(o.CacheInvalidationHeader, header);
        var requests = new System.Runtime.CompilerServices.StrongBox<int>();
        request.Options.Set(SameHostRedirectHandler.Requests, requests);
        request.Options.Set(HttpJobResilience.AttemptTimeout, TimeSpan.FromSeconds(Math.Max(1, o.CacheInvalidationTimeoutSeconds)));
        // invalidating the same tags twice does no harm: the POST may be retried inside the call
        request.Options.Set(HttpIdempotency.Repeatable, true);
        var started = time.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            throw new HttpRequestException(redactor.Redact(
                $"cache invalidation: {url.GetLeftPart(UriPartial.Path)} failed after {requests.Value} requests: {e.Message}"));
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new HttpRequestException(redactor.Redact(
                    $"cache invalidation: HTTP {(int)response.StatusCode} from {url.GetLeftPart(UriPartial.Path)} after {requests.Value} requests: {(body.Length > 500 ? body[..500] : body)}"));
            }

            return new StatsInvalidation("invalidated", tags, (int)response.StatusCode, requests.Value,
                (long)time.GetElapsedTime(started).TotalMilliseconds, time.GetUtcNow());
        }
    }
}
