using System.Diagnostics;
using System.Text.RegularExpressions;
using Npgsql;

namespace JobQueue.Tests.Infrastructure;

/// <summary>
/// <c>pg_dump --schema-only --no-owner</c> of a database, normalised so that two databases with the
/// same schema give the same text: no session-specific lines (<c>\restrict</c> keys, version
/// banners), the owner's role name replaced. pg_dump orders objects by kind and name, not by
/// creation, so the order is stable.
/// </summary>
public static partial class SchemaDump
{
    /// <summary>The committed snapshot of a fresh install (infra/local/schema-dump.sh refreshes it).</summary>
    public static string SnapshotPath => Path.Combine(LocalPostgres.RepoRoot, "tests", "JobQueue.Tests", "Database", "schema.dump.sql");

    public static async Task<string> DumpAsync(string connectionString, params string[] extraArguments)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        var psi = new ProcessStartInfo("pg_dump")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "--schema-only", "--no-owner", "-h", cs.Host!, "-p", cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", cs.Username!, "-d", cs.Database! }.Concat(extraArguments))
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["PGPASSWORD"] = cs.Password;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_dump failed: {await stderr}");
        }

        return Normalise(await stdout, cs.Username!);
    }

    public static string Normalise(string dump, string owner)
    {
        var lines = dump.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .Where(l => !l.StartsWith("\\restrict ", StringComparison.Ordinal) && !l.StartsWith("\\unrestrict ", StringComparison.Ordinal))
            .Where(l => !l.StartsWith("-- Dumped from database version", StringComparison.Ordinal) && !l.StartsWith("-- Dumped by pg_dump version", StringComparison.Ordinal))
            .Select(l => l.Replace($"FOR ROLE {owner} ", "FOR ROLE <schema owner> ", StringComparison.Ordinal));
        return BlankRuns().Replace(string.Join("\n", lines), "\n\n\n").Trim() + "\n";
    }

    [GeneratedRegex("\n{4,}")]
    private static partial Regex BlankRuns();
}
