using JobQueue.Database;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobQueue.Cron;

/// <summary>
/// The connection to pg_cron's database and the name of the app database its jobs run in.
/// Without <c>Cron:ConnectionString</c> / <c>Cron:Database</c> both are the app's own database.
/// </summary>
public sealed class CronDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource appDataSource;
    private readonly bool ownsDataSource;
    private string? appDatabase;

    public CronDatabase(NpgsqlDataSource appDataSource, IOptions<CronOptions> options, DatabaseConnection? connection = null)
    {
        this.appDataSource = appDataSource;
        var o = options.Value;
        if (!string.IsNullOrWhiteSpace(o.ConnectionString))
        {
            DataSource = JobQueueServiceCollectionExtensions.BuildDataSource(o.ConnectionString);
            ownsDataSource = true;
        }
        else if (!string.IsNullOrWhiteSpace(o.Database) && connection is not null)
        {
            // same server and credentials as the app (Entra ID tokens included), another database
            DataSource = connection.BuildDataSource(o.Database);
            ownsDataSource = true;
        }
        else
        {
            DataSource = appDataSource;
        }
    }

    /// <summary>pg_cron's database: where the cron wrappers are called.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// The database the scheduled commands run in: null when it is pg_cron's own database (the
    /// wrappers then use <c>cron.schedule</c>), else the app database's name.
    /// </summary>
    public async ValueTask<string?> GetTargetDatabaseAsync(CancellationToken cancellationToken)
    {
        if (!ownsDataSource)
        {
            return null;
        }

        if (appDatabase is null)
        {
            var app = await CurrentDatabaseAsync(appDataSource, cancellationToken);
            var cron = await CurrentDatabaseAsync(DataSource, cancellationToken);
            appDatabase = app == cron ? "" : app;
        }

        return appDatabase.Length == 0 ? null : appDatabase;
    }

    public async ValueTask DisposeAsync()
    {
        if (ownsDataSource)
        {
            await DataSource.DisposeAsync();
        }
    }

    private static async Task<string> CurrentDatabaseAsync(NpgsqlDataSource source, CancellationToken cancellationToken)
    {
        await using var cmd = source.CreateCommand("SELECT current_database()");
        return (string)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }
}
