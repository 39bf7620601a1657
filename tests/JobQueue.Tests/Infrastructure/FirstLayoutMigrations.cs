using DbUp;
using DbUp.Engine;
using Npgsql;

namespace JobQueue.Tests.Infrastructure;

/// <summary>
/// JobQueue's first migration layout (the 31 scripts 0001-0200, kept under Database/LegacyMigrations
/// as a fixture), applied as its migrator applied them: DbUp, one transaction a script, the scripts
/// written for search_path public, journaled in jobqueue.job_queue_schema_versions as
/// <c>JobQueue.Database.Migrations.&lt;file&gt;</c>. What a developer cluster or test environment
/// migrated before the baseline holds.
/// </summary>
public static class FirstLayoutMigrations
{
    /// <summary>
    /// Applies the first layout's scripts up to and including <paramref name="through"/> (all by
    /// default) that <paramref name="include"/> accepts (all by default; it is given the file name),
    /// journaled in <paramref name="journal"/> (the app set's, or <c>job_queue_cron_schema_versions</c>).
    /// </summary>
    public static void Apply(string connectionString, string through = "0200", Func<string, bool>? include = null,
        string journal = "job_queue_schema_versions")
    {
        var assembly = typeof(FirstLayoutMigrations).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("first-layout/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Where(n => string.CompareOrdinal(n["first-layout/".Length..][..4], through) <= 0)
            .Where(n => include?.Invoke(n["first-layout/".Length..]) ?? true)
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return new SqlScript("JobQueue.Database.Migrations." + n["first-layout/".Length..], reader.ReadToEnd());
            })
            .ToList();
        using (var connection = new NpgsqlConnection(connectionString))
        {
            connection.Open();
            using var schema = new NpgsqlCommand("CREATE SCHEMA IF NOT EXISTS jobqueue; REVOKE ALL ON SCHEMA jobqueue FROM PUBLIC;", connection);
            schema.ExecuteNonQuery();
        }

        var result = DeployChanges.To
            .PostgresqlDatabase(new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = "public" }.ConnectionString)
            .WithScripts(scripts)
            .WithTransactionPerScript()
            .WithVariablesDisabled()
            .JournalToPostgresqlTable("jobqueue", journal)
            .LogToNowhere()
            .Build()
            .PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"first-layout script {result.ErrorScript?.Name} failed: {result.Error?.Message}", result.Error);
        }
    }
}
