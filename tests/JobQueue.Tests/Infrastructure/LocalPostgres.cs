using System.Diagnostics;

namespace JobQueue.Tests.Infrastructure;

/// <summary>
/// The local PostgreSQL cluster with pg_cron that infra/local/pg.sh runs. Tests use the cluster
/// named by JOBQUEUE_TEST_PG (the test script sets it); otherwise they start it themselves.
/// </summary>
public static class LocalPostgres
{
    private static readonly Lazy<string> Url = new(StartOrFind, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Connection string of the schema owner (non-superuser owner of database jobqueue, CREATEDB): migrations and test setup.</summary>
    public static string ConnectionString => Url.Value;

    /// <summary>The app's runtime login (infra/local/pg.sh): only a member of jobqueue_app, owner of nothing.</summary>
    public const string RuntimeUser = "jobqueue_runtime";

    /// <summary><paramref name="connectionString"/> as the runtime login (what the app runs as).</summary>
    public static string AsRuntimeLogin(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Username = RuntimeUser, Password = RuntimeUser }.ConnectionString;

    /// <summary>
    /// <paramref name="connectionString"/> with JobQueue's schema first on the search path: for the
    /// tests' own SQL against the tables (the library always names the schema).
    /// </summary>
    public static string WithJobQueueSearchPath(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { SearchPath = "jobqueue, public" }.ConnectionString;

    /// <summary>
    /// Drops database <paramref name="name"/> with FORCE, as <paramref name="admin"/>'s role (the
    /// schema owner, not a superuser): FORCE may not terminate a session of another role, such as an
    /// autovacuum worker on the new tables or a privilege test's login still closing (42501), so it
    /// tries again for a few seconds.
    /// </summary>
    public static async Task DropDatabaseAsync(Npgsql.NpgsqlConnection admin, string name)
    {
        await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (Npgsql.PostgresException e) when (attempt < 50 && e.SqlState is Npgsql.PostgresErrorCodes.InsufficientPrivilege or Npgsql.PostgresErrorCodes.ObjectInUse)
            {
                await Task.Delay(100);
            }
        }
    }

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
