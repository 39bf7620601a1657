using JobQueue.Database;
using JobQueue.Queue;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// The server's probes (no credentials, nothing secret in the answer): <c>GET /healthz/live</c> = the
/// process runs; <c>GET /healthz/ready</c> = 200 <c>{status: "ready"}</c> once the database start-up
/// has succeeded and the queue's functions answer now (checked at most every
/// <see cref="CheckInterval"/>), otherwise 503 problem+json with Retry-After that says what is
/// missing ("the database cannot be reached", "the database schema is not migrated yet", ...).
/// </summary>
public sealed class ReadinessEndpoint(DatabaseReadiness readiness, QueueSettingsStore store, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (long At, string? Failure)? _lastCheck;

    public void Dispose() => _gate.Dispose();

    public IResult Live() => Results.Json(new { status = "alive" });

    public async Task<IResult> ReadyAsync(HttpContext context)
    {
        if (!readiness.IsReady)
        {
            return NotReady(context, $"not ready: {readiness.Reason} (start-up attempt {readiness.FailedAttempts + 1})");
        }

        var failure = await CheckAsync(context.RequestAborted);
        return failure is null ? Results.Json(new { status = "ready" }) : NotReady(context, "not ready: " + failure);
    }

    private async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_lastCheck is { } last && time.GetElapsedTime(last.At) < CheckInterval)
            {
                return last.Failure;
            }

            string? failure = null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(CheckTimeout);
                await store.GetSettingsAsync(timeout.Token);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                failure = e is OperationCanceledException ? "the database did not answer in time" : DatabaseFailure.Summary(e);
            }

            _lastCheck = (time.GetTimestamp(), failure);
            return failure;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static IResult NotReady(HttpContext context, string detail)
    {
        context.Response.Headers.RetryAfter = DatabaseOutageGuard.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ApiProblems.Unavailable(detail);
    }
}
