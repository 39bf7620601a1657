namespace JobQueue.Audit;

/// <summary>
/// One admin action: who (the admin token, or the App Service principal's name), what (e.g.
/// <c>job.retry</c>), on what (a job id, a cron job's name, a filter), when, and how it ended:
/// <c>ok</c> (2xx), <c>refused</c> (4xx: bad input, unknown job, a state that does not allow it, a
/// principal without the role) or <c>error</c> (5xx), with the HTTP status and a short detail.
/// </summary>
public sealed record AuditEntry(
    long Id,
    DateTimeOffset At,
    string Actor,
    string Action,
    string? Target,
    string Outcome,
    int Status,
    string? Detail,
    string? RequestId);
