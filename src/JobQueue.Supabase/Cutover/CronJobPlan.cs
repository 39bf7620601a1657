using System.Text.Json.Nodes;

namespace JobQueue.Cutover;

/// <summary>What a legacy pg_cron job does, as far as the cut-over is concerned.</summary>
public enum CronJobKind
{
    /// <summary>Calls <c>net.http_post</c> / <c>net.http_get</c>: converted into a JobQueue <c>http_request</c> schedule, the old job disabled.</summary>
    HttpCall,

    /// <summary>Calls <c>job_queue_enqueue</c>: keeps working unchanged through the wrapper of that name.</summary>
    Enqueue,

    /// <summary>Reads or writes the legacy queue table by name (a cleanup): disabled, JobQueue's own cleanup replaces it.</summary>
    LegacyTable,

    /// <summary>Anything else: left alone.</summary>
    Other,
}

/// <summary>A secret a converted schedule needs in Key Vault (or <c>Secrets:&lt;name&gt;</c>), and whether it is there.</summary>
public sealed record RequiredSecret(string Name, string UsedBy, string ReadFrom, bool Present, string? Problem);

/// <summary>
/// One visible pg_cron job of the app database and what the cut-over does with it. For an
/// <see cref="CronJobKind.HttpCall"/>: the new JobQueue job's name and the <c>http_request</c> payload
/// shown with secret references only (a URL kept in a secret is shown as <c>{secret:name}/path</c>),
/// the secrets it needs, and the problems that keep it from being converted.
/// </summary>
public sealed record CronJobPlan(
    long JobId,
    string Name,
    string Username,
    string Schedule,
    bool Active,
    CronJobKind Kind,
    string Action,
    string CommandMd5,
    IReadOnlyList<string> SecretsRead,
    string? NewJobName,
    JsonObject? Payload,
    string? UrlSecret,
    IReadOnlyList<string> Problems)
{
    public bool Convertible => Kind == CronJobKind.HttpCall && Problems.Count == 0 && NewJobName is not null;
}

/// <summary>Something the cut-over cannot do, why, and (where there is one) the command that makes it possible.</summary>
public sealed record CutoverLimit(string What, string Why, string? Command, bool Blocking);

/// <summary>A legacy queue table, its mapping, the name it will be kept under and how many jobs move.</summary>
public sealed record QueuePlan(LegacyQueueTable Table, LegacyQueueMapping Mapping, string KeptAs, long JobsToCopy, IReadOnlyList<string> TaskTypesWithoutHandler);

/// <summary>
/// The dry run's answer (also what apply executes): what was found, what will be done, what cannot be
/// done and why, and the secrets that must exist first. Nothing in it is a secret value or a
/// connection string.
/// </summary>
public sealed record CutoverPlan(
    LegacyInventory Found,
    IReadOnlyList<QueuePlan> Queues,
    IReadOnlyList<CronJobPlan> CronJobs,
    IReadOnlyList<string> Actions,
    IReadOnlyList<CutoverLimit> CannotDo,
    IReadOnlyList<RequiredSecret> Secrets,
    string KeptSuffix)
{
    public bool NothingToDo => Actions.Count == 0;

    /// <summary>Apply refuses: a secret is missing, or something blocks the whole cut-over.</summary>
    public bool Refused => Secrets.Any(s => !s.Present) || CannotDo.Any(c => c.Blocking);
}
