using JobQueue.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace JobQueue.Api;

/// <summary>
/// Records every admin action in the audit log: each changing admin endpoint runs its work through
/// <see cref="RecordAsync"/>, on both hosts (the Functions triggers and the server call the same
/// endpoint methods). The actor is whoever <see cref="ApiAuthenticator"/> admitted (or a principal it
/// refused for lacking the role); a request without valid credentials is not an admin action and is
/// not recorded. The outcome comes from the response: ok (2xx), refused (4xx) or error (5xx).
/// </summary>
public sealed partial class AdminAudit(AuditStore store, ILogger<AdminAudit> logger)
{
    private const string TargetItem = "jobqueue.audit.target";
    private const string DetailItem = "jobqueue.audit.detail";
    private const string SkipItem = "jobqueue.audit.skip";

    /// <summary>Names the action's target once the endpoint knows it (e.g. a cron job's name from the body).</summary>
    public static void Target(HttpRequest request, string? target) => request.HttpContext.Items[TargetItem] = target;

    /// <summary>A short description of what was done (e.g. "matched 12, changed 12").</summary>
    public static void Detail(HttpRequest request, string? detail) => request.HttpContext.Items[DetailItem] = detail;

    /// <summary>Not an action after all (a bulk action's dry run only counts): nothing is recorded.</summary>
    public static void Skip(HttpRequest request) => request.HttpContext.Items[SkipItem] = true;

    public async Task<IResult> RecordAsync(HttpRequest request, string action, string? target, Func<Task<IResult>> act, CancellationToken cancellationToken)
    {
        var result = await act();
        var items = request.HttpContext.Items;
        if (items[ApiAuthenticator.ActorItem] is not string actor || items.ContainsKey(SkipItem))
        {
            return result;
        }

        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        var outcome = status switch
        {
            < 400 => "ok",
            < 500 => "refused",
            _ => "error",
        };
        var detail = status < 400 ? items[DetailItem] as string : ProblemDetail(result);
        try
        {
            await store.RecordAsync(
                actor, action, items[TargetItem] as string ?? target, outcome, status, detail, ApiRequest.RequestId(request), cancellationToken);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            // the action itself happened (or was refused) already; the response must still say so
            LogNotRecorded(logger, action, actor, e.GetType().Name);
        }

        return result;
    }

    private static string? ProblemDetail(IResult result) => result switch
    {
        ProblemHttpResult problem => problem.ProblemDetails.Detail,
        ValidationProblem validation => validation.ProblemDetails.Detail,
        _ => null,
    };

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Admin action {Action} by {Actor} was not recorded in the audit log ({ErrorType})")]
    private static partial void LogNotRecorded(ILogger logger, string action, string actor, string errorType);
}
