using GamePlatform.Simulator;

namespace JobQueue.Tests.GamePlatform;

/// <summary>The local run's seed (infra/local/seed-game-platform.sql) registers exactly the simulator's default competitors.</summary>
public sealed class LocalSeedTests
{
    [Fact]
    public async Task Seed_script_registers_the_simulators_competitors_and_is_idempotent()
    {
        await using var gp = await GamePlatformHarness.StartAsync(registerCompetitors: false);
        var sql = await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "infra", "local", "seed-game-platform.sql"));

        await gp.Db.ExecuteAsync(sql);
        await gp.Db.ExecuteAsync(sql);

        var expected = gp.Sim.Competitors().Select(c => $"{c.CoachId}/{c.UserId}").Order(StringComparer.Ordinal).ToList();
        var registered = await gp.Db.ScalarAsync<string[]>(
            "SELECT array_agg(coach_id || '/' || game_platform_user_id ORDER BY coach_id || '/' || game_platform_user_id) FROM game_platform.game_platform_competitors");
        Assert.Equal(expected, registered);
        Assert.Equal(new SimulatorOptions().Coaches * new SimulatorOptions().CompetitorsPerCoach, registered.Length);

        var job = await gp.RunAsync(JobQueue.Handlers.GamePlatformSyncHandler.Name, new { });
        Assert.Equal(registered.Length, JobOutput.Of(job).Num("synced"));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root (Functions.sln) not found");
    }
}
