using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobQueue.Database;

/// <summary>
/// Applies the repeatable schema files (functions, the public wrappers, grants) of a migration run:
/// the ones whose text changed since the journal (<c>jobqueue.job_queue_schema_files</c> for the
/// engine's, <c>&lt;schema&gt;.schema_files</c> for a module's) recorded them (a SHA-256 per file), or all of them after a versioned script ran. One transaction for the
/// whole step: a file that fails leaves every function as it was, and the error names the file.
/// DbUp has run-once and run-always scripts only (its "run on change" is issue #430): this is the
/// hash journal Flyway's <c>R__</c> scripts and grate's <c>functions/</c> folder keep.
/// </summary>
internal static class RepeatableSchemaFiles
{
    public const string Journal = "job_queue_schema_files";

    /// <summary>Creates the journal <paramref name="schema"/>.<paramref name="journal"/> where it is missing (before the advisory lock's first migration reads it).</summary>
    public static async Task PrepareJournalAsync(NpgsqlConnection connection, string schema, string journal, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(
            $"""
            CREATE TABLE IF NOT EXISTS {schema}.{journal} (
              name       text PRIMARY KEY,
              sha256     text NOT NULL,
              applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, connection);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="files"/> (in order) that changed, or all of them when
    /// <paramref name="applyAll"/>; when any function file is applied, the wrappers and grants that
    /// follow it are applied too (a new or re-created function needs its grant). Returns how many
    /// files were applied. <paramref name="schema"/>: the set's schema (the search path while the files
    /// run, and where the journal <paramref name="journal"/> is).
    /// </summary>
    public static async Task<int> ApplyAsync(
        NpgsqlConnection connection, string schema, string journal, IReadOnlyList<SchemaFile> files, bool applyAll, ILogger logger,
        CancellationToken cancellationToken)
    {
        var journaled = await JournaledAsync(connection, $"{schema}.{journal}", cancellationToken);
        var changed = files.Where(f => applyAll || !journaled.TryGetValue(f.Name, out var hash) || hash != f.Hash).ToList();
        if (changed.Count == 0)
        {
            return 0;
        }

        // the wrappers and grants follow the functions: after any change, all of them again
        var firstChanged = files.ToList().IndexOf(changed[0]);
        var toApply = files.Where((f, i) => changed.Contains(f) || (i > firstChanged && !f.Name.StartsWith("functions/", StringComparison.Ordinal))).ToList();

        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using (var path = new NpgsqlCommand($"SET LOCAL search_path = {schema}, pg_temp", connection, tx))
        {
            await path.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var file in toApply)
        {
            try
            {
                await using var apply = new NpgsqlCommand(file.Sql, connection, tx);
                await apply.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException e)
            {
                throw new InvalidOperationException($"schema file {file.Name} failed: {e.MessageText}"
                    + (e.Hint is { Length: > 0 } hint ? $" ({hint})" : ""), e);
            }

            await using var record = new NpgsqlCommand(
                $"""
                INSERT INTO {schema}.{journal} (name, sha256) VALUES ($1, $2)
                ON CONFLICT (name) DO UPDATE SET sha256 = EXCLUDED.sha256, applied_at = now()
                """, connection, tx);
            record.Parameters.AddWithValue(file.Name);
            record.Parameters.AddWithValue(file.Hash);
            await record.ExecuteNonQueryAsync(cancellationToken);
            logger.LogInformation("Applied schema file {File}", file.Name);
        }

        await using (var forget = new NpgsqlCommand(
            $"DELETE FROM {schema}.{journal} WHERE name <> ALL ($1)", connection, tx))
        {
            forget.Parameters.AddWithValue(files.Select(f => f.Name).ToArray());
            await forget.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return toApply.Count;
    }

    private static async Task<Dictionary<string, string>> JournaledAsync(NpgsqlConnection connection, string journal, CancellationToken cancellationToken)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var read = new NpgsqlCommand($"SELECT name, sha256 FROM {journal}", connection);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hashes[reader.GetString(0)] = reader.GetString(1);
        }

        return hashes;
    }
}
