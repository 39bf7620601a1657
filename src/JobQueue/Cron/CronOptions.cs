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

    /// <summary>Connection to pg_cron's database; empty = the app's own connection (the default).</summary>
    public string? ConnectionString { get; set; }

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
