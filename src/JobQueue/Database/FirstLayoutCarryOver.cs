using Npgsql;

namespace JobQueue.Database;

/// <summary>
/// Databases migrated by JobQueue's first layout (31 numbered scripts, journaled as
/// <c>JobQueue.Database.Migrations.NNNN_*.sql</c>, squashed into today's baseline) are carried over
/// without touching a row: when the journal records the first layout's last script of the set,
/// the baseline's scripts are journaled as applied (their objects are there already) and every
/// repeatable file is applied again (same functions, now from their files). A database the first
/// layout left part-way is refused, naming what it lacks: the baseline cannot be laid over it.
/// </summary>
internal static class FirstLayoutCarryOver
{
    private const string FirstLayoutPrefix = "JobQueue.Database.Migrations.";

    /// <summary>The baseline's scripts: the schema exactly as the first layout's last scripts left it.</summary>
    public static readonly string[] Baseline = ["0001_shared_baseline.sql", "0002_queue_baseline.sql"];

    /// <summary>
    /// Journals the baseline as applied where the first layout ran; true when it did so.
    /// <paramref name="otherJournal"/>: what the other set's journal in this database records (a
    /// database that is both the app's and pg_cron's ran each first-layout script through one of them).
    /// </summary>
    public static async Task<bool> CarryOverAsync(
        NpgsqlConnection connection, string journalTable, SchemaSet set, IReadOnlySet<string> journaled,
        IReadOnlySet<string> otherJournal, CancellationToken cancellationToken)
    {
        var firstLayout = journaled.Where(n => n.StartsWith(FirstLayoutPrefix, StringComparison.Ordinal)).ToList();
        var baseline = Baseline.Where(b => SchemaFiles.Versioned(set).Any(v => v.Name == b)).ToList();
        if (firstLayout.Count == 0 || baseline.Any(journaled.Contains))
        {
            return false;
        }

        var last = FirstLayoutPrefix + (set == SchemaSet.App ? "0200_job_queue_held_flag.sql" : "0172_cron_pg_net.sql");
        if (!journaled.Contains(last) && !otherJournal.Contains(last))
        {
            var newest = firstLayout.Max(StringComparer.Ordinal)![FirstLayoutPrefix.Length..];
            throw new InvalidOperationException(
                $"this database was migrated by an early JobQueue only as far as {newest}: the baseline carries over databases "
                + $"migrated through {last[FirstLayoutPrefix.Length..]}. Migrate it with JobQueue as of commit 39c4cbc first, "
                + "or, where its data does not matter (a test database), drop the schema jobqueue and migrate again");
        }

        foreach (var script in baseline)
        {
            await using var record = new NpgsqlCommand(
                $"INSERT INTO {DatabaseMigrator.Schema}.{journalTable} (scriptname, applied) VALUES ($1, now())", connection);
            record.Parameters.AddWithValue(script);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        return true;
    }
}
