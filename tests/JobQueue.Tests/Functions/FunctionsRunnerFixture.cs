using GamePlatform.Simulator;
using JobQueue.FunctionsTestHost;
using JobQueue.Secrets;
using JobQueue.Tests.Infrastructure;
using JobQueue.WakeUp;

namespace JobQueue.Tests.Functions;

/// <summary>
/// The built Functions worker with everything its runner needs, for one test class: a test database
/// with the simulator's competitors, the Game Platform simulator (its latency makes
/// <c>game_platform_sync</c> jobs as slow as a test needs), Azurite as <c>AzureWebJobsStorage</c>
/// (the wake-up queue), the worker started by <see cref="FunctionsHost"/> with
/// <c>Runner:Concurrency</c> <see cref="Concurrency"/> and a 2 s lease (so every job longer than that
/// lives on heartbeats), and the host's listener on the wake-up queue (<see cref="QueueTriggerListener"/>).
/// </summary>
public sealed class FunctionsRunnerFixture : IAsyncLifetime
{
    public const int Concurrency = 3;

    public TestDatabase Db { get; private set; } = null!;

    public RunningSimulator Simulator { get; private set; } = null!;

    public Azurite Azurite { get; private set; } = null!;

    public FunctionsHost Host { get; private set; } = null!;

    public QueueTriggerListener WakeUpListener { get; private set; } = null!;

    /// <summary>The app settings of this fixture's worker, plus <paramref name="extra"/>, over <paramref name="db"/>.</summary>
    public Dictionary<string, string> Settings(TestDatabase db, IDictionary<string, string>? extra = null)
    {
        var settings = FunctionsWorkerFixture.Settings(db);
        settings["AzureWebJobsStorage"] = Azurite.ConnectionString;
        settings["GamePlatform:BaseUrl"] = Simulator.BaseUrl.ToString();
        settings[$"{ConfigurationSecretProvider.Section}:{SecretNames.GamePlatformApiKey}"] = Simulator.ApiKey;
        settings["GamePlatform:AttemptTimeoutSeconds"] = "120";
        settings["GamePlatform:TotalTimeoutSeconds"] = "240";
        settings["GamePlatform:MaxRetries"] = "1";
        settings["Runner:Concurrency"] = Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Runner:LeaseSeconds"] = "2";
        settings["Runner:Backoff:BaseSeconds"] = "60";
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>A fresh database with the simulator's competitors registered (as the local seed does).</summary>
    public static async Task<TestDatabase> SeededDatabaseAsync()
    {
        var db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync(RepositoryFiles.Read("infra/local/seed-game-platform.sql"));
        return db;
    }

    public async Task InitializeAsync()
    {
        Db = await SeededDatabaseAsync();
        Simulator = await SimulatorApp.StartAsync();
        Azurite = await Azurite.StartAsync(RepositoryFiles.Root);
        Host = await FunctionsHost.StartAsync(new FunctionsHostOptions(FunctionsWorkerFixture.App) { Settings = Settings(Db) });
        WakeUpListener = await QueueTriggerListener.StartAsync(Host, RunnerWakeUp.FunctionName);
    }

    public async Task DisposeAsync()
    {
        if (WakeUpListener is not null)
        {
            await WakeUpListener.DisposeAsync();
        }

        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }

        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }

        if (Db is not null)
        {
            await Db.DisposeAsync();
        }
    }

    /// <summary>Every API response of the simulator takes <paramref name="milliseconds"/> from now on.</summary>
    public void SetLatency(int milliseconds)
    {
        var faults = Simulator.State.Faults;
        faults.LatencyMs = milliseconds;
        Simulator.State.Faults = faults;
    }
}
