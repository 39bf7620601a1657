using System.Globalization;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Recovery;

/// <summary>
/// A PostgreSQL cluster of a test's own, on the shared cluster's port + <paramref name="offset"/>
/// (infra/local/pg.sh with JOBQUEUE_PG_PORT), so that stopping, restarting or crashing it disturbs
/// no other test. Offsets in use: 50 DatabaseRestartTests, 51 StartWithoutDatabaseTests,
/// 52 ChaosTests, 53 (never started: a port where no database answers), 54 FunctionsStartWithoutDatabaseTests.
/// </summary>
public sealed class OwnCluster(int offset)
{
    public int Port { get; } = int.Parse(Environment.GetEnvironmentVariable("JOBQUEUE_PG_PORT") ?? "25432", CultureInfo.InvariantCulture) + offset;

    private Dictionary<string, string> Environment_ => new() { ["JOBQUEUE_PG_PORT"] = Port.ToString(CultureInfo.InvariantCulture) };

    /// <summary>The schema owner on the cluster's database <c>jobqueue</c>.</summary>
    public string OwnerConnectionString =>
        $"Host=127.0.0.1;Port={Port};Database=jobqueue;Username=jobqueue;Password=jobqueue;Timeout=5";

    /// <summary>The app's runtime login on the cluster's database <c>jobqueue</c>.</summary>
    public string RuntimeConnectionString => LocalPostgres.AsRuntimeLogin(OwnerConnectionString);

    /// <summary>Runs <c>pg.sh verb</c> on this cluster (start, stop, restart, crash-restart, destroy...).</summary>
    public string Run(string verb) => LocalPostgres.RunScript(verb, Environment_);
}
