using System.Diagnostics;

namespace JobQueue.Tests.Infrastructure;

/// <summary>
/// The local PostgreSQL cluster with pg_cron that infra/local/pg.sh runs. Tests use the cluster
/// named by JOBQUEUE_TEST_PG (the test script sets it); otherwise they start it themselves.
/// </summary>
public static class LocalPostgres
{
    private static readonly Lazy<string> Url = new(StartOrFind, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Connection string of the app user (non-superuser owner of database jobqueue, CREATEDB).</summary>
    public static string ConnectionString => Url.Value;

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Script => Path.Combine(RepoRoot, "infra", "local", "pg.sh");

    /// <summary>Runs infra/local/pg.sh with the given verb and environment; returns stdout.</summary>
    public static string RunScript(string verb, IDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("bash", [Script, verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(true);
            throw new InvalidOperationException($"pg.sh {verb} timed out");
        }

        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg.sh {verb} failed ({p.ExitCode}): {stderr.Result}");
        }

        return stdout.Result.Trim();
    }

    private static string StartOrFind()
    {
        var fromEnv = Environment.GetEnvironmentVariable("JOBQUEUE_TEST_PG");
        var url = string.IsNullOrWhiteSpace(fromEnv) ? RunScript("start").Split('\n')[^1] : fromEnv;

        // A shared 2-core CI machine can be slow to hand out a connection: wait longer than the default 15 s.
        return new Npgsql.NpgsqlConnectionStringBuilder(url) { Timeout = 60, CommandTimeout = 120 }.ConnectionString;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root (Functions.sln) not found");
    }
}
