namespace JobQueue.Database;

/// <summary>Settings <c>Database:*</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>
    /// The connection string where no vault provides it (secret <c>database-connection-string</c>),
    /// or, with <see cref="UseEntraId"/>, the passwordless connection string (host, database, user).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Authenticate to Azure PostgreSQL with an Entra ID token (managed identity) instead of a password.</summary>
    public bool UseEntraId { get; set; }

    /// <summary>
    /// The schema owner's connection string, for the migrations only (empty = migrate with
    /// <see cref="ConnectionString"/>, for a single-login setup). The app itself runs as a login that
    /// is only a member of the role <c>jobqueue_app</c> and owns nothing.
    /// </summary>
    public string? MigrationConnectionString { get; set; }

    /// <summary>
    /// Make the compatibility wrappers in <c>public</c> (<c>public.job_queue_enqueue</c>, ...: the RPC
    /// names callers of the replaced stack use; Database/Schema/public_wrappers.sql). Off by default:
    /// a fresh install creates nothing in <c>public</c>. Refused, naming the function, where a function
    /// of that name exists in <c>public</c> that JobQueue did not make. Turned off again, the wrappers
    /// JobQueue made are removed.
    /// </summary>
    public bool PublicWrappers { get; set; }

    /// <summary>Apply the migrations when the host starts.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
