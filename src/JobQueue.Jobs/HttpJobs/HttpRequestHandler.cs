using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using JobQueue.Http;
using JobQueue.Runner;
using JobQueue.Secrets;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace JobQueue.HttpJobs;

/// <summary>
/// <c>http_request</c>: one HTTP call through the <see cref="ClientName"/> client (IHttpClientFactory,
/// <see cref="HttpJobResilience"/>, <see cref="SameHostRedirectHandler"/>, private addresses refused at
/// connect time). Success (by default 2xx): output <c>{status, durationMs, requests, body, bodyTruncated,
/// bodyBytes, bodySha256}</c>, the body cut to 4 KiB (<see cref="HttpJobBody"/>). 408, 429, 5xx, timeouts and
/// connection failures that outlast the retries inside the attempt fail it for a later retry (after a
/// 429's or 503's Retry-After when it said so); any other status fails the job for good with the status
/// and a body excerpt. Secret headers are resolved here and never stored; a response to a request that
/// carried one keeps only the body's size and hash unless the job asks for it (<c>keepBody</c>), and every
/// form of the secret is masked in everything the call returns (<see cref="SecretRedactor"/>).
/// </summary>
public sealed class HttpRequestHandler(IHttpClientFactory clients, HttpRequestRules rules, ISecretProvider secrets, TimeProvider time)
    : JobHandler<HttpRequestPayload>
{
    public const string Name = "http_request";
    public const string ClientName = "jobqueue-http-jobs";
    public const int MaxBodyBytes = 4096;
    private const int MaxErrorExcerpt = 1000;

    public override string TaskType => Name;

    protected override IEnumerable<PayloadError> Validate(HttpRequestPayload payload) => rules.Check(payload).Errors;

    protected override async Task<object?> HandleAsync(HttpRequestPayload payload, JobContext context, CancellationToken cancellationToken)
    {
        var call = rules.Check(payload).Request!;
        var redactor = new SecretRedactor();
        using var request = await BuildAsync(call, redactor, cancellationToken);
        var requests = new StrongBox<int>();
        request.Options.Set(SameHostRedirectHandler.Requests, requests);
        request.Options.Set(HttpJobResilience.AttemptTimeout, call.Timeout);
        request.Options.Set(SameHostRedirectHandler.MayFollow, target => rules.MayRedirect(call, target));
        var what = $"{call.Method} {call.Url.GetLeftPart(UriPartial.Path)}";
        var started = time.GetTimestamp();

        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e) when (HttpJobResilience.IsRefusedTarget(e))
        {
            throw new PermanentJobException(redactor.Redact($"{what} refused: {(e.InnerException ?? e).Message}"));
        }
        catch (TimeoutRejectedException)
        {
            throw new TimeoutException($"{what} timed out after {call.Timeout.TotalSeconds:0.#} s ({requests.Value} requests)");
        }
        catch (BrokenCircuitException)
        {
            throw new HttpRequestException($"{what} not sent: too many recent failures of {call.Url.Authority} (circuit open)");
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException(redactor.Redact($"{what} failed after {requests.Value} requests: {e.Message}"));
        }

        using (response)
        {
            // the body gets what is left of the attempt's timeout (timeoutSeconds bounds the whole attempt)
            var left = call.Timeout - time.GetElapsedTime(started);
            var body = await HttpJobBody.ReadAsync(response, left > TimeSpan.Zero ? left : TimeSpan.Zero, call.KeepBody ? redactor : null, cancellationToken);
            var status = (int)response.StatusCode;
            var durationMs = (long)time.GetElapsedTime(started).TotalMilliseconds;
            if (call.SuccessStatus.Matches(status))
            {
                return body.Output(status, durationMs, requests.Value);
            }

            var failure = $"HTTP {status} from {what} after {requests.Value} requests: {body.Excerpt(MaxErrorExcerpt)}";
            if (status is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                throw new PermanentJobException(
                    $"HTTP {status} from {what}: the redirect to {(location.IsAbsoluteUri ? location.Authority : "?")} was not followed (HTTP jobs follow redirects to the same host only, and only where the request's secrets may go)");
            }

            if (status is 408 or 429 or >= 500)
            {
                if (HttpJobResilience.HonoursRetryAfter(response.StatusCode) && RetryAfterHeader.Delay(response, time) is { } wait)
                {
                    throw new RetryLaterJobException($"{failure} (Retry-After {wait.TotalSeconds:0} s)", wait);
                }

                throw new HttpRequestException(failure);
            }

            throw new PermanentJobException(failure);
        }
    }

    private async Task<HttpRequestMessage> BuildAsync(HttpJobRequest call, SecretRedactor redactor, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(call.Method, call.Url);
        if (call.Body is { } body)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        request.Headers.UserAgent.ParseAdd("JobQueue-http_request/1.0");
        foreach (var header in call.Headers)
        {
            var value = header.Secret is null ? header.Literal! : header.ValueWith(await SecretAsync(header, redactor, cancellationToken));
            if (request.Headers.TryAddWithoutValidation(header.Name, value))
            {
                continue;
            }

            // a content header (Content-Type, ...): it belongs to the body, and goes only with one
            if (request.Content is not null)
            {
                request.Content.Headers.Remove(header.Name);
                request.Content.Headers.TryAddWithoutValidation(header.Name, value);
            }
        }

        return request;
    }

    private async Task<string> SecretAsync(HttpJobHeader header, SecretRedactor redactor, CancellationToken cancellationToken)
    {
        string value;
        try
        {
            value = await secrets.GetAsync(header.Secret!, cancellationToken);
        }
        catch (SecretNotFoundException e)
        {
            throw new PermanentJobException($"header {header.Name}: {e.Message}");
        }

        if (value.Any(c => c is '\r' or '\n' or '\0'))
        {
            throw new PermanentJobException($"header {header.Name}: secret '{header.Secret}' holds a line break, which no header may carry");
        }

        redactor.Add(value);
        redactor.Add(header.ValueWith(value));
        return value;
    }
}
