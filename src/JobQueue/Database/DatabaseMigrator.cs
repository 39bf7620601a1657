using JobQueue.Cron;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobQueue.Database;

/// <summary>
/// Brings a database to the schema under Database/Schema (embedded; README.md there), under a
/// PostgreSQL advisory lock so that two instances starting at once never migrate at the same time:
/// first the versioned scripts not yet run (DbUp, one transaction each, journaled in
/// <c>jobqueue.job_queue_schema_versions</c>), then the repeatable files whose text changed
/// (functions, the public wrappers when asked, grants; <see cref="RepeatableSchemaFiles"/>); then, in
/// the app database, each registered module's own set in its own schema (<see cref="ModuleSchema"/>,
/// e.g. the Game Platform's <c>game_platform</c>), in the order the modules were registered.
/// Runs as the schema's owner (<c>Database:MigrationConnectionString</c>), never as the app's
/// runtime login. Everything the engine's set creates is in the schema <c>jobqueue</c>; it reads, alters or
/// replaces nothing in <c>public</c> but the compatibility wrappers it made itself.
/// </summary>
public sealed class DatabaseMigrator(
    ILogger<DatabaseMigrator> logger, IOptions<CronOptions>? cronOptions = null, IOptions<DatabaseOptions>? databaseOptions = null,
    IEnumerable<ModuleSchema>? modules = null)
{
    private readonly IReadOnlyList<ModuleSchema> modules = (modules ?? []).ToList();

    /// <summary>The advisory lock key (an arbitrary constant: "jobqueue" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x6A6F627175657565;

    /// <summary>The engine's own schema: every table, function and journal of the engine's set lives in it (a module's, in the module's schema).</summary>
    public const string Schema = "jobqueue";

    private const string AppJournal = "job_queue_schema_versions";
    private const string CronJournal = "job_queue_cron_schema_versions";

    private bool PublicWrappers => databaseOptions?.Value.PublicWrappers ?? false;

    /// <summary>
    /// Migrates the app database (<paramref name="connectionString"/>: the schema owner's); when
    /// <c>Cron:MigrationConnectionString</c>, <c>Cron:Database</c> or <c>Cron:ConnectionString</c>
    /// names another database (pg_cron's, <c>cron.database_name</c>), migrates its part there as well.
    /// </summary>
    public async Task MigrateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await MigrateSetAsync(connectionString, SchemaSet.App, cancellationToken);
        if (cronOptions?.Value.CronMigrationConnectionString(connectionString) is { } cron)
        {
            await MigrateCronAsync(cron, cancellationToken);
        }
    }

    /// <summary>
    /// Migrates only pg_cron's part (the <c>shared</c> and <c>cron</c> files) in pg_cron's database,
    /// journaled apart from the app's (<c>job_queue_cron_schema_versions</c>).
    /// </summary>
    public Task MigrateCronAsync(string cronConnectionString, CancellationToken cancellationToken = default) =>
        MigrateSetAsync(cronConnectionString, SchemaSet.Cron, cancellationToken);

    private async Task MigrateSetAsync(string connectionString, SchemaSet set, CancellationToken cancellationToken)
    {
        var journalTable = set == SchemaSet.App ? AppJournal : CronJournal;
        var scoped = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = $"{Schema}, pg_temp" }.ConnectionString;
        await using var connection = new NpgsqlConnection(scoped);
        await connection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection))
        {
            take.Parameters.AddWithValue(AdvisoryLockKey);
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await PrepareSchemaAsync(connection, cancellationToken);
            await RepeatableSchemaFiles.PrepareJournalAsync(connection, Schema, RepeatableSchemaFiles.Journal, cancellationToken);
            var journaled = await JournaledScriptsAsync(connection, journalTable, cancellationToken);

            // one database can serve as the app's and as pg_cron's (another database) over time, e.g.
            // the local cluster's: a script the other set's journal records ran here already
            var ranThroughOtherSet = await JournaledScriptsAsync(
                connection, journalTable == AppJournal ? CronJournal : AppJournal, cancellationToken);
            var carriedOver = await FirstLayoutCarryOver.CarryOverAsync(
                connection, journalTable, set, journaled, ranThroughOtherSet, cancellationToken);
            var versioned = SchemaFiles.Versioned(set).Where(f => !ranThroughOtherSet.Contains(f.Name));
            var ran = await VersionedScripts.RunAsync(scoped, Schema, journalTable, versioned, logger, cancellationToken);

            var repeatable = SchemaFiles.Functions(set).Append(SchemaFiles.PublicWrappers(PublicWrappers)).Append(SchemaFiles.Grants).ToList();
            await RepeatableSchemaFiles.ApplyAsync(
                connection, Schema, RepeatableSchemaFiles.Journal, repeatable, applyAll: carriedOver || ran > 0, logger, cancellationToken);

            // the modules' sets live in the app database only
            foreach (var module in set == SchemaSet.App ? modules : Array.Empty<ModuleSchema>())
            {
                await ModuleSchemaMigration.MigrateAsync(connection, connectionString, module, logger, cancellationToken);
            }
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
            release.Parameters.AddWithValue(AdvisoryLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>The script names a journal table of this database records (none when it does not exist).</summary>
    private static async Task<HashSet<string>> JournaledScriptsAsync(NpgsqlConnection connection, string journalTable, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        await using var find = new NpgsqlCommand($"SELECT to_regclass('{Schema}.{journalTable}') IS NOT NULL", connection);
        if (await find.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return names;
        }

        await using var read = new NpgsqlCommand($"SELECT scriptname FROM {Schema}.{journalTable}", connection);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>The journals live in <see cref="Schema"/>, which must exist before DbUp reads them (the baseline then locks it down).</summary>
    private static async Task PrepareSchemaAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(
            $"CREATE SCHEMA IF NOT EXISTS {Schema}; REVOKE ALL ON SCHEMA {Schema} FROM PUBLIC;", connection);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
