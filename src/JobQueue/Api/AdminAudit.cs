using JobQueue.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace JobQueue.Api;

/// <summary>
/// Records every admin action in the audit log: <see cref="ApiPipeline"/> calls <see cref="RecordAsync"/>
/// after each call of a route the route table declares audited, on both hosts. The actor is whoever
/// <see cref="ApiAuthenticator"/> admitted (or a principal it refused for lacking the role); a request
/// without valid credentials is not an admin action and is not recorded. The outcome comes from the
/// response: ok (2xx), refused (4xx) or error (5xx). The target is what the endpoint or the request
/// named, else the route value, else the route's fixed target.
/// </summary>
public sealed partial class AdminAudit(AuditStore store, ILogger<AdminAudit> logger)
{
    public async Task RecordAsync(ApiCall call, ApiAudit audit, IResult result, CancellationToken cancellationToken)
    {
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        var outcome = status switch
        {
            < 400 => "ok",
            < 500 => "refused",
            _ => "error",
        };
        var detail = status < 400 ? call.AuditDetail : ProblemDetail(result);
        var target = call.AuditTarget ?? (call.RouteValue.Length > 0 ? call.RouteValue : audit.Target);
        try
        {
            await store.RecordAsync(call.Actor, audit.Action, target, outcome, status, detail, call.RequestId, cancellationToken);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            // the action itself happened (or was refused) already; the response must still say so
            LogNotRecorded(logger, audit.Action, call.Actor, e.GetType().Name);
        }
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
