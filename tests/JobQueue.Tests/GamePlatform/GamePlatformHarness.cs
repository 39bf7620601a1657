using System.Text.Json;
using GamePlatform.Simulator;
using JobQueue.GamePlatform;
using JobQueue.Queue;
using JobQueue.Runner;
using JobQueue.Secrets;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.GamePlatform;

/// <summary>
/// The parts of a Game Platform test: the simulator on a loopback port (real HTTP), a fresh migrated
/// database with the simulator's competitors registered, and the library's services pointed at both,
/// with resilience delays in milliseconds and a queue backoff short enough to watch retries.
/// </summary>
public sealed class GamePlatformHarness : IAsyncDisposable
{
    private GamePlatformHarness(RunningSimulator simulator, TestDatabase db, ServiceProvider services)
    {
        Simulator = simulator;
        Db = db;
        Services = services;
    }

    public RunningSimulator Simulator { get; }

    public SimulatorState Sim => Simulator.State;

    public TestDatabase Db { get; }

    public ServiceProvider Services { get; }

    public JobQueueStore Queue => Services.GetRequiredService<JobQueueStore>();

    public JobReadStore Jobs => Services.GetRequiredService<JobReadStore>();

    public JobRunner Runner => Services.GetRequiredService<JobRunner>();

    public GamePlatformStore Store => Services.GetRequiredService<GamePlatformStore>();

    public static async Task<GamePlatformHarness> StartAsync(
        IDictionary<string, string?>? settings = null, string? apiKey = null, Action<SimulatorOptions>? simulator = null, bool registerCompetitors = true)
    {
        var sim = await SimulatorApp.StartAsync(simulator);
        var db = await TestDatabase.CreateAsync();
        var all = new Dictionary<string, string?>
        {
            ["GamePlatform:BaseUrl"] = sim.BaseUrl.ToString(),
            ["GamePlatform:AttemptTimeoutSeconds"] = "0.5",
            ["GamePlatform:TotalTimeoutSeconds"] = "10",
            ["GamePlatform:MaxRetries"] = "3",
            ["GamePlatform:RetryBaseDelaySeconds"] = "0.01",
            ["GamePlatform:MaxRetryAfterSeconds"] = "2",
            ["GamePlatform:CircuitBreakerMinimumThroughput"] = "1000",
            ["GamePlatform:PageSize"] = "2",
            ["Runner:Backoff:BaseSeconds"] = "0.01",
            ["Runner:Backoff:MaxSeconds"] = "0.02",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        // apiKey "" leaves the secret unset
        var secrets = new Dictionary<string, string>();
        if (apiKey != "")
        {
            secrets[SecretNames.GamePlatformApiKey] = apiKey ?? sim.ApiKey;
        }

        var services = db.BuildServices(s => s.AddSingleton<ISecretProvider>(new DictionarySecretProvider(secrets)), all);
        var harness = new GamePlatformHarness(sim, db, services);
        if (registerCompetitors)
        {
            foreach (var c in SimCompetitors(sim.State))
            {
                await harness.Store.UpsertCompetitorAsync(c.CoachId, c.UserId, c.DisplayName);
            }
        }

        return harness;
    }

    public static IReadOnlyList<SimCompetitor> SimCompetitors(SimulatorState state) => state.Competitors();

    public Task<Guid> EnqueueAsync(string taskType, object payload, int maxAttempts = 3) =>
        Queue.EnqueueAsync(new EnqueueRequest(taskType, JsonSerializer.SerializeToElement(payload), MaxAttempts: maxAttempts));

    /// <summary>Runner passes until the job has finished (succeeded or failed for good); returns it.</summary>
    public async Task<Job> RunUntilFinishedAsync(Guid id, int maxPasses = 30)
    {
        for (var i = 0; i < maxPasses; i++)
        {
            await Runner.RunPassAsync(new RunPassRequest(Limit: 10));
            var job = (await Jobs.GetAsync(id))!;
            if (job.Status is JobStatus.Succeeded or JobStatus.Failed)
            {
                return job;
            }

            await Task.Delay(30);
        }

        throw new TimeoutException($"job {id} did not finish in {maxPasses} passes");
    }

    /// <summary>Enqueues a job and runs it to the end.</summary>
    public async Task<Job> RunAsync(string taskType, object payload, int maxAttempts = 3) =>
        await RunUntilFinishedAsync(await EnqueueAsync(taskType, payload, maxAttempts));

    public Task<long> CountAsync(string sql, params object[] parameters) => Db.ScalarAsync<long>(sql, parameters);

    public Task<bool> FlaggedAsync(string userId) =>
        Db.ScalarAsync<bool>("SELECT needs_totals_refresh FROM game_platform.game_platform_competitors WHERE game_platform_user_id = $1", userId);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Db.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}

/// <summary>Reading a job's output.</summary>
public static class JobOutput
{
    public static JsonElement Of(Job job) =>
        job.Output ?? throw new InvalidOperationException($"job {job.Id} has no output (status {job.Status}, error {job.LastError})");

    public static int Num(this JsonElement e, string name) => e.GetProperty(name).GetInt32();
}
