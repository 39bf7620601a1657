using DbUp;
using DbUp.Engine.Output;
using JobQueue.Cron;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobQueue.Database;

/// <summary>
/// Applies the versioned SQL files under Database/Migrations (embedded), each in its own
/// transaction, journaled in <c>jobqueue.job_queue_schema_versions</c>, under a PostgreSQL advisory
/// lock so that two instances starting at once never migrate at the same time. Runs as the schema's
/// owner (<c>Database:MigrationConnectionString</c>), never as the app's runtime login.
/// </summary>
public sealed class DatabaseMigrator(ILogger<DatabaseMigrator> logger, IOptions<CronOptions>? cronOptions = null)
{
    /// <summary>The advisory lock key (an arbitrary constant: "jobqueue" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x6A6F627175657565;

    /// <summary>JobQueue's own schema (migration 0100): every table, function and journal lives in it.</summary>
    public const string Schema = "jobqueue";

    private const string CoreJournal = "job_queue_schema_versions";
    private const string CronJournal = "job_queue_cron_schema_versions";

    /// <summary>
    /// Applies every migration to the app database (<paramref name="connectionString"/>: the schema
    /// owner's); when <c>Cron:MigrationConnectionString</c>, <c>Cron:Database</c> or
    /// <c>Cron:ConnectionString</c> names another database (pg_cron's, <c>cron.database_name</c>), also
    /// applies the pg_cron admin set there.
    /// </summary>
    public async Task MigrateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await MigrateSetAsync(connectionString, IsMigration, CoreJournal, cancellationToken);
        if (cronOptions?.Value.CronMigrationConnectionString(connectionString) is { } cron)
        {
            await MigrateCronAsync(cron, cancellationToken);
        }
    }

    /// <summary>
    /// Applies only the pg_cron admin migrations (files named <c>*_cron_*.sql</c>, and the
    /// <c>*_shared_*.sql</c> ones both sets need) to pg_cron's database, journaled apart from the core
    /// set (<c>job_queue_cron_schema_versions</c>).
    /// </summary>
    public Task MigrateCronAsync(string cronConnectionString, CancellationToken cancellationToken = default) =>
        MigrateSetAsync(cronConnectionString, IsCronMigration, CronJournal, cancellationToken);

    private static bool IsCronMigration(string resourceName) =>
        IsMigration(resourceName)
        && (resourceName.Contains("_cron_", StringComparison.Ordinal) || resourceName.Contains("_shared_", StringComparison.Ordinal));

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
            await PrepareJournalAsync(lockConnection, journalTable, cancellationToken);

            // one database can have served as the app's and as pg_cron's (another database) over time,
            // e.g. the local cluster's: a script the other set's journal records ran here already
            var ranThroughOtherSet = await JournaledScriptsAsync(
                lockConnection, journalTable == CoreJournal ? CronJournal : CoreJournal, cancellationToken);

            // the scripts before 0100 name their objects without a schema: they were written for public
            var scripts = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = "public" }.ConnectionString;
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(scripts)
                .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, name => filter(name) && !ranThroughOtherSet.Contains(name))
                .WithTransactionPerScript()
                .WithVariablesDisabled()
                .JournalToPostgresqlTable(Schema, journalTable)
                .LogTo(new UpgradeLog(logger))
                .Build();

            await RefuseOutOfOrderScriptsAsync(lockConnection, journalTable, upgrader, cancellationToken);
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

    /// <summary>
    /// A script that sorts before the newest one this journal records would run after it here but
    /// before it on a new database: the two would end in different states (a function redefined by
    /// both). Refused before anything runs; new migrations are numbered after the newest landed one.
    /// </summary>
    private static async Task RefuseOutOfOrderScriptsAsync(
        NpgsqlConnection connection, string journalTable, DbUp.Engine.UpgradeEngine upgrader, CancellationToken cancellationToken)
    {
        var newest = (await JournaledScriptsAsync(connection, journalTable, cancellationToken)).Max(StringComparer.Ordinal);
        if (newest is null)
        {
            return;
        }

        var late = upgrader.GetScriptsToExecute()
            .Select(script => script.Name)
            .Where(name => string.CompareOrdinal(name, newest) < 0)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (late.Count > 0)
        {
            throw new InvalidOperationException(
                $"migration {late[0]} sorts before {newest}, which this database has applied already: "
                + "number new migrations after the newest one that has landed");
        }
    }

    /// <summary>
    /// The script names a journal table of this database records: in <see cref="Schema"/>, or still in
    /// public where its set has not run since 0100 (none when it does not exist).
    /// </summary>
    private static async Task<HashSet<string>> JournaledScriptsAsync(NpgsqlConnection connection, string journalTable, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        await using var find = new NpgsqlCommand(
            $"SELECT COALESCE(to_regclass('{Schema}.{journalTable}'), to_regclass('public.{journalTable}'))::text", connection);
        if (await find.ExecuteScalarAsync(cancellationToken) is not string table)
        {
            return names;
        }

        await using var read = new NpgsqlCommand($"SELECT scriptname FROM {table}", connection);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>
    /// The journal lives in <see cref="Schema"/>, which must exist before DbUp reads it: created here
    /// (migration 0100 then locks it down), and a journal that an earlier version kept in public is
    /// moved there, so that its history carries on.
    /// </summary>
    private static async Task PrepareJournalAsync(NpgsqlConnection connection, string journalTable, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(
            $"""
            CREATE SCHEMA IF NOT EXISTS {Schema};
            REVOKE ALL ON SCHEMA {Schema} FROM PUBLIC;
            DO $$
            BEGIN
              IF to_regclass('public.{journalTable}') IS NOT NULL AND to_regclass('{Schema}.{journalTable}') IS NULL THEN
                ALTER TABLE public.{journalTable} SET SCHEMA {Schema};
              END IF;
            END
            $$;
            """, connection);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
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
