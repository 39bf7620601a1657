using DbUp;
using DbUp.Engine.Output;
using JobQueue.Cron;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobQueue.Database;

/// <summary>
/// Applies the versioned SQL files under Database/Migrations (embedded), each in its own
/// transaction, journaled in <c>job_queue_schema_versions</c>, under a PostgreSQL advisory lock so
/// that two instances starting at once never migrate at the same time.
/// </summary>
public sealed class DatabaseMigrator(ILogger<DatabaseMigrator> logger, IOptions<CronOptions>? cronOptions = null)
{
    /// <summary>The advisory lock key (an arbitrary constant: "jobqueue" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x6A6F627175657565;

    /// <summary>
    /// Applies every migration to the app database; when <c>Cron:ConnectionString</c> or <c>Cron:Database</c>
    /// names another database (pg_cron's, <c>cron.database_name</c>), also applies the pg_cron admin set there.
    /// </summary>
    public async Task MigrateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await MigrateSetAsync(connectionString, IsMigration, "job_queue_schema_versions", cancellationToken);
        if (cronOptions?.Value.CronConnectionString(connectionString) is { } cron)
        {
            await MigrateCronAsync(cron, cancellationToken);
        }
    }

    /// <summary>
    /// Applies only the pg_cron admin migrations (files named <c>*_cron_*.sql</c>) to pg_cron's
    /// database, journaled apart from the core set (<c>job_queue_cron_schema_versions</c>).
    /// </summary>
    public Task MigrateCronAsync(string cronConnectionString, CancellationToken cancellationToken = default) =>
        MigrateSetAsync(cronConnectionString, name => IsMigration(name) && name.Contains("_cron_", StringComparison.Ordinal),
            "job_queue_cron_schema_versions", cancellationToken);

    private static bool IsMigration(string resourceName) =>
        resourceName.Contains(".Database.Migrations.", StringComparison.Ordinal);

    private async Task MigrateSetAsync(
        string connectionString, Func<string, bool> filter, string journalTable, CancellationToken cancellationToken)
    {
        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock($1)", lockConnection))
        {
            take.Parameters.AddWithValue(AdvisoryLockKey);
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, filter)
                .WithTransactionPerScript()
                .WithVariablesDisabled()
                .JournalToPostgresqlTable("public", journalTable)
                .LogTo(new UpgradeLog(logger))
                .Build();

            var result = await Task.Run(upgrader.PerformUpgrade, cancellationToken);
            if (!result.Successful)
            {
                throw new InvalidOperationException(
                    $"migration {result.ErrorScript?.Name ?? "?"} failed: {result.Error?.Message}", result.Error);
            }
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", lockConnection);
            release.Parameters.AddWithValue(AdvisoryLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private sealed class UpgradeLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace("{Message}", Format(format, args));

        public void LogDebug(string format, params object[] args) => logger.LogDebug("{Message}", Format(format, args));

        public void LogInformation(string format, params object[] args) => logger.LogInformation("{Message}", Format(format, args));

        public void LogWarning(string format, params object[] args) => logger.LogWarning("{Message}", Format(format, args));

        public void LogError(string format, params object[] args) => logger.LogError("{Message}", Format(format, args));

        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, "{Message}", Format(format, args));

        private static string Format(string format, object[] args) =>
            args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args);
    }
}
