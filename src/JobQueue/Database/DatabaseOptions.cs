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

    /// <summary>Apply the migrations when the host starts.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
