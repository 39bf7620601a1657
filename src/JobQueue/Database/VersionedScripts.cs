using DbUp;
using DbUp.Engine;
using Microsoft.Extensions.Logging;

namespace JobQueue.Database;

/// <summary>
/// Runs the versioned scripts of a set that its DbUp journal does not record yet, in name order, one
/// transaction each (the engine's and each module's set; <see cref="DatabaseMigrator"/> holds the lock).
/// DbUp is given the schema explicitly: without it, dbup-postgresql (7.x) takes the connection's
/// <c>Search Path</c> text as the schema and runs <c>CREATE SCHEMA IF NOT EXISTS</c> with it before the
/// first script, which made an empty schema literally named <c>"jobqueue, pg_temp"</c> (dropped by
/// <c>versioned/0013_shared_drop_search_path_schema.sql</c>). The connection keeps its search path
/// (the engine's ends in <c>pg_temp</c>) for the scripts themselves.
/// </summary>
internal static class VersionedScripts
{
    /// <summary>Runs what <paramref name="schema"/>.<paramref name="journal"/> lacks; returns how many scripts ran. The error names the script that failed.</summary>
    public static async Task<int> RunAsync(
        string connectionString, string schema, string journal, IEnumerable<SchemaFile> scripts, ILogger logger, CancellationToken cancellationToken)
    {
        var upgrader = DeployChanges.To
            .PostgresqlDatabase(connectionString, schema)
            .WithScripts(scripts.Select(f => new SqlScript(f.Name, f.Sql)))
            .WithTransactionPerScript()
            .WithVariablesDisabled()
            .JournalToPostgresqlTable(schema, journal)
            .LogTo(new DbUpLog(logger))
            .Build();
        var result = await Task.Run(upgrader.PerformUpgrade, cancellationToken);
        if (!result.Successful)
        {
            throw new InvalidOperationException(
                $"migration {result.ErrorScript?.Name ?? "?"} failed: {result.Error?.Message}", result.Error);
        }

        return result.Scripts.Count();
    }
}
