namespace JobQueue.SqlJobs;

/// <summary>Settings section <c>SqlJobs</c>: the SQL functions <c>sql_function</c> jobs may call.</summary>
public sealed class SqlJobsOptions
{
    public const string Section = "SqlJobs";

    /// <summary>
    /// Functions a job may call, as <c>schema.name</c> (or <c>name</c> for <c>public.name</c>), letters,
    /// digits and underscores only; an array (<c>AllowedFunctions__0</c>, ...) or one comma-separated
    /// string. Empty: no function may be called. The app's database login needs EXECUTE on them (grant
    /// it to the role <c>jobqueue_app</c>).
    /// </summary>
    public List<string> AllowedFunctions { get; set; } = [];
}
