using Npgsql;

namespace JobQueue.Cron;

/// <summary>
/// Settings of the pg_cron administration (section <c>Cron</c>). pg_cron lives in one database per
/// server (<c>cron.database_name</c>); when that is not the app database, point
/// <see cref="ConnectionString"/> at it: jobs are then scheduled there and run in the app database.
/// </summary>
public sealed class CronOptions
{
    public const string Section = "Cron";

    /// <summary>Settings key of <see cref="ConnectionString"/>.</summary>
    public const string ConnectionStringKey = "Cron:ConnectionString";

    /// <summary>Settings key of <see cref="Database"/>.</summary>
    public const string DatabaseKey = "Cron:Database";

    /// <summary>Connection to pg_cron's database; empty = the app's own connection (the default).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// pg_cron's database on the app's own server, reached with the app's own credentials (vault,
    /// settings or Entra ID): the way to name it on Azure. Used when <see cref="ConnectionString"/> is empty.
    /// </summary>
    public string? Database { get; set; }

    /// <summary>
    /// The schema owner's connection to pg_cron's database, for the migrations only; empty = derived:
    /// <see cref="Database"/> on the migration connection, else <see cref="ConnectionString"/>'s
    /// database with the migration connection's credentials (same server), else <see cref="ConnectionString"/>.
    /// </summary>
    public string? MigrationConnectionString { get; set; }

    /// <summary>
    /// The connection string the pg_cron admin set is migrated with, given the app database's migration
    /// connection string; null = pg_cron lives in the app database itself.
    /// </summary>
    public string? CronMigrationConnectionString(string migrationConnectionString)
    {
        var cron = !string.IsNullOrWhiteSpace(MigrationConnectionString) ? MigrationConnectionString
            : !string.IsNullOrWhiteSpace(Database) ? JobQueue.Database.DatabaseConnection.OnDatabase(migrationConnectionString, Database)
            : !string.IsNullOrWhiteSpace(ConnectionString) ? OwnersConnectionTo(ConnectionString, migrationConnectionString)
            : null;
        return cron is null || SameDatabase(cron, migrationConnectionString) ? null : cron;
    }

    /// <summary>The runtime connection's database with the owner's credentials where both are on one server.</summary>
    private static string OwnersConnectionTo(string runtime, string owner)
    {
        var r = new NpgsqlConnectionStringBuilder(runtime);
        var o = new NpgsqlConnectionStringBuilder(owner);
        return string.Equals(r.Host, o.Host, StringComparison.OrdinalIgnoreCase) && r.Port == o.Port
            ? JobQueue.Database.DatabaseConnection.OnDatabase(owner, r.Database)
            : runtime;
    }

    /// <summary>The connection string of pg_cron's database given the app's resolved one; null = the app database itself.</summary>
    public string? CronConnectionString(string appConnectionString)
    {
        var cron = !string.IsNullOrWhiteSpace(ConnectionString)
            ? ConnectionString
            : string.IsNullOrWhiteSpace(Database)
                ? null
                : JobQueue.Database.DatabaseConnection.OnDatabase(appConnectionString, Database);
        return cron is null || SameDatabase(cron, appConnectionString) ? null : cron;
    }

    /// <summary>True when both connection strings reach the same database on the same server.</summary>
    public static bool SameDatabase(string a, string b)
    {
        var x = new NpgsqlConnectionStringBuilder(a);
        var y = new NpgsqlConnectionStringBuilder(b);
        return string.Equals(x.Host, y.Host, StringComparison.OrdinalIgnoreCase)
            && x.Port == y.Port
            && string.Equals(x.Database ?? x.Username, y.Database ?? y.Username, StringComparison.Ordinal);
    }
}
