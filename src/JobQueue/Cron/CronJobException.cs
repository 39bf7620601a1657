namespace JobQueue.Cron;

/// <summary>How a cron wrapper call failed; the HTTP API maps each kind to one status.</summary>
public enum CronErrorKind
{
    /// <summary>An argument was rejected (22023): 400, naming <see cref="CronJobException.Field"/>.</summary>
    Invalid,

    /// <summary>No job with that name (JQC04): 404.</summary>
    NotFound,

    /// <summary>The name is taken (JQC09): 409.</summary>
    Conflict,

    /// <summary>pg_cron is not installed there, or a pg_cron function is not granted (JQC01): 503.</summary>
    Unavailable,
}

/// <summary>A cron wrapper refused the call; nothing was changed.</summary>
public sealed class CronJobException(CronErrorKind kind, string field, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public CronErrorKind Kind { get; } = kind;

    /// <summary>The request field (camelCase) the error is about.</summary>
    public string Field { get; } = field;
}
