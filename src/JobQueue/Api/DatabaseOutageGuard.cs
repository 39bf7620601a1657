using JobQueue.Database;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobQueue.Api;

/// <summary>
/// Every route's answer while the database is unavailable: 503 with <c>Retry-After</c> and a
/// problem+json body that says what kind of failure it is (never a host name or message text), and
/// one warning line per <see cref="LogInterval"/> instead of an unhandled-exception line (with its
/// stack trace) per request. <see cref="ApiPipeline"/> runs every route of both hosts in
/// <see cref="InvokeAsync"/>; the Functions app also calls <see cref="TryHandle"/> from its worker
/// middleware (for what fails outside a route's pipeline). Other exceptions are not touched.
/// </summary>
public sealed partial class DatabaseOutageGuard(DatabaseReadiness readiness, TimeProvider time, ILogger<DatabaseOutageGuard> logger)
{
    /// <summary>The Retry-After the clients get, in seconds.</summary>
    public const int RetryAfterSeconds = 5;

    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private readonly LogThrottle _throttle = new(LogInterval, time);

    /// <summary>Runs <paramref name="route"/>; a database outage becomes the 503 answer.</summary>
    public static async Task<IResult> InvokeAsync(HttpContext context, Func<Task<IResult>> route)
    {
        IResult? unavailable = null;
        try
        {
            return await route();
        }
        catch (Exception e) when (context.RequestServices.GetRequiredService<DatabaseOutageGuard>().TryHandle(e, context, out unavailable))
        {
            return unavailable!;
        }
    }

    /// <summary>
    /// True when <paramref name="e"/> means the database is unavailable (or, before the instance is
    /// ready, any database error: not migrated yet, migrating): then <paramref name="result"/> is the
    /// 503 answer and Retry-After is set.
    /// </summary>
    public bool TryHandle(Exception e, HttpContext context, out IResult? result)
    {
        result = null;
        // before the start-up has finished (migrations may be half-way), any database error means "not ready"
        if (!DatabaseFailure.IsUnavailable(e) && !(DatabaseFailure.IsDatabaseError(e) && !readiness.IsReady))
        {
            return false;
        }

        var summary = DatabaseFailure.Summary(e);
        if (_throttle.ShouldLog(out var suppressed))
        {
            LogUnavailable(logger, context.Request.Method, context.Request.Path.Value ?? "", summary, DatabaseFailure.Describe(e), suppressed);
        }

        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        result = ApiProblems.Unavailable(readiness.IsReady
            ? $"{summary}; retry in {RetryAfterSeconds} s"
            : $"the app is starting and not ready yet: {readiness.Reason ?? summary}; retry in {RetryAfterSeconds} s");
        return true;
    }

    [LoggerMessage(EventId = 2110, Level = LogLevel.Warning,
        Message = "Database unavailable: {Method} {Path} answered 503 ({Reason}: {Error}); {Suppressed} more 503s since the last line")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string reason, string error, int suppressed);
}
