using JobQueue.Database;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobQueue.Cron;

/// <summary>
/// The schema owner's connection (<c>Database:MigrationConnectionString</c>; a superuser's works too)
/// to pg_cron's database, derived as the migrator derives it (<see cref="CronOptions.CronMigrationConnectionString"/>),
/// or to another database on the same server: what can read the pg_cron jobs and runs of other roles,
/// which pg_cron's row-level security hides from the app's runtime login. Read-only use: the cron
/// summary's counts and the parity report's old side. The connection string is never logged or returned.
/// </summary>
public sealed class OwnerCronConnection(IOptions<DatabaseOptions> database, IOptions<CronOptions> cron, DatabaseConnection connection)
{
    /// <summary>The setting that enables it, as named in responses.</summary>
    public const string SettingName = "Database:MigrationConnectionString";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(database.Value.MigrationConnectionString);

    /// <summary>An open connection to pg_cron's database, or to <paramref name="otherDatabase"/> on the same server; null when not configured.</summary>
    public async Task<NpgsqlConnection?> OpenAsync(string? otherDatabase, CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            return null;
        }

        var owner = await connection.ResolveMigrationAsync(cancellationToken);
        var target = string.IsNullOrWhiteSpace(otherDatabase)
            ? cron.Value.CronMigrationConnectionString(owner) ?? owner
            : DatabaseConnection.OnDatabase(owner, otherDatabase);
        // not pooled: a few reads per admin request, and no idle privileged session left behind
        var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(target) { Pooling = false }.ConnectionString);
        try
        {
            await conn.OpenAsync(cancellationToken);
            return conn;
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }
}
