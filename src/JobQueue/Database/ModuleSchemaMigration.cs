using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobQueue.Database;

/// <summary>
/// Applies one module's migration set (<see cref="ModuleSchema"/>) on the migrator's connection, which
/// holds the advisory lock: its schema (made where missing, marked as JobQueue's, closed to PUBLIC; a
/// same-named schema JobQueue did not make is refused with JQM02), the versioned scripts
/// its journal lacks, then the repeatable files that changed (all of them after a versioned script ran).
/// </summary>
internal static class ModuleSchemaMigration
{
    public static async Task MigrateAsync(
        NpgsqlConnection connection, string connectionString, ModuleSchema module, ILogger logger, CancellationToken cancellationToken)
    {
        // a schema of this name that JobQueue did not make is a team's own: refused before anything changes
        // (its lock-down would revoke every privilege on it and turn on row-level security on its tables)
        await using (var prepare = new NpgsqlCommand($"""
            DO $refuse$
            BEGIN
              IF EXISTS (SELECT FROM pg_namespace n WHERE n.nspname = '{module.Schema}'
                          AND obj_description(n.oid, 'pg_namespace') IS DISTINCT FROM '{ModuleSchema.SchemaComment}'
                          -- made before JobQueue marked its schemas: its own journal says so
                          AND to_regclass('{module.Schema}.{ModuleSchema.FilesJournal}') IS NULL) THEN
                RAISE EXCEPTION 'schema {module.Schema} exists and was not made by JobQueue: rename it, or register the module under another schema'
                  USING ERRCODE = 'JQM02';
              END IF;
            END
            $refuse$;
            CREATE SCHEMA IF NOT EXISTS {module.Schema};
            COMMENT ON SCHEMA {module.Schema} IS '{ModuleSchema.SchemaComment}';
            REVOKE ALL ON SCHEMA {module.Schema} FROM PUBLIC;
            """, connection))
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
