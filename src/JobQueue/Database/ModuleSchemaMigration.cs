using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobQueue.Database;

/// <summary>
/// Applies one module's migration set (<see cref="ModuleSchema"/>) on the migrator's connection, which
/// holds the advisory lock: its schema (made where missing, closed to PUBLIC), the versioned scripts
/// its journal lacks, then the repeatable files that changed (all of them after a versioned script ran).
/// </summary>
internal static class ModuleSchemaMigration
{
    public static async Task MigrateAsync(
        NpgsqlConnection connection, string connectionString, ModuleSchema module, ILogger logger, CancellationToken cancellationToken)
    {
        await using (var prepare = new NpgsqlCommand(
            $"CREATE SCHEMA IF NOT EXISTS {module.Schema}; REVOKE ALL ON SCHEMA {module.Schema} FROM PUBLIC;", connection))
        {
            await prepare.ExecuteNonQueryAsync(cancellationToken);
        }

        await RepeatableSchemaFiles.PrepareJournalAsync(connection, module.Schema, ModuleSchema.FilesJournal, cancellationToken);
        // the module's scripts name their objects with the schema and look nothing else up
        var scoped = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = module.Schema }.ConnectionString;
        var ran = await VersionedScripts.RunAsync(scoped, module.Schema, ModuleSchema.VersionsJournal, module.Versioned, logger, cancellationToken);
        await RepeatableSchemaFiles.ApplyAsync(
            connection, module.Schema, ModuleSchema.FilesJournal, module.Repeatable, applyAll: ran > 0, logger, cancellationToken);
    }
}
