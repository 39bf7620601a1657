using JobQueue.Handlers;
using JobQueue.Queue;
using JobQueue.Runner;

namespace JobQueue.Tests.GamePlatform;

/// <summary>game_platform_totals_sweep: batches, dry run, scoping, and racing a sync or another sweep.</summary>
public sealed class GamePlatformTotalsSweepTests : IAsyncLifetime
{
    private GamePlatformHarness gp = null!;

    public async Task InitializeAsync()
    {
        gp = await GamePlatformHarness.StartAsync();
        Assert.Equal(JobStatus.Succeeded, (await gp.RunAsync(GamePlatformSyncHandler.Name, new { })).Status);
    }

    public async Task DisposeAsync() => await gp.DisposeAsync();

    private async Task AssertTotalsMatchTheSimulatorAsync(string userId)
    {
        var c = gp.Sim.Find(userId)!;
        Assert.Equal(c.Activity.Count, await gp.Db.ScalarAsync<int>(
            "SELECT t.matches FROM game_platform.game_platform_totals t JOIN game_platform.game_platform_competitors c ON c.id = t.competitor_id WHERE c.game_platform_user_id = $1", userId));
        Assert.Equal(c.Activity.Sum(a => (long)a.Points), await gp.Db.ScalarAsync<long>(
            "SELECT t.points FROM game_platform.game_platform_totals t JOIN game_platform.game_platform_competitors c ON c.id = t.competitor_id WHERE c.game_platform_user_id = $1", userId));
        Assert.Equal(c.Activity.Count(a => a.Result == "win"), await gp.Db.ScalarAsync<int>(
            "SELECT t.wins FROM game_platform.game_platform_totals t JOIN game_platform.game_platform_competitors c ON c.id = t.competitor_id WHERE c.game_platform_user_id = $1", userId));
    }

    [Fact]
    public async Task Sweep_refreshes_flagged_competitors_in_batches_and_clears_their_flags()
    {
        var output = JobOutput.Of(await gp.RunAsync(GamePlatformTotalsSweepHandler.Name, new { batchSize = 4 }));

        Assert.Equal(2, output.Num("batches"));
        Assert.Equal(6, output.Num("flagged"));
        Assert.Equal(6, output.Num("refreshed"));
        Assert.Equal(6, output.Num("flagsCleared"));
        Assert.Equal(0, await gp.CountAsync("SELECT count(*) FROM game_platform.game_platform_competitors WHERE needs_totals_refresh OR totals_claimed_by IS NOT NULL"));
        foreach (var c in gp.Sim.Competitors())
        {
            await AssertTotalsMatchTheSimulatorAsync(c.UserId);
        }

        var again = JobOutput.Of(await gp.RunAsync(GamePlatformTotalsSweepHandler.Name, new { }));
        Assert.Equal(0, again.Num("flagged"));
        Assert.Equal(6, gp.Sim.Requests("totals"));
    }

    [Fact]
    public async Task Dry_run_fetches_totals_but_writes_nothing_and_keeps_the_flags()
    {
        var output = JobOutput.Of(await gp.RunAsync(GamePlatformTotalsSweepHandler.Name, new { dryRun = true, batchSize = 5 }));

        Assert.Equal(6, output.Num("refreshed"));
        Assert.Equal(6, output.GetProperty("totals").GetArrayLength());
        Assert.Equal(0, await gp.CountAsync("SELECT count(*) FROM game_platform.game_platform_totals"));
        Assert.Equal(6, await gp.CountAsync("SELECT count(*) FROM game_platform.game_platform_competitors WHERE needs_totals_refresh AND totals_claimed_by IS NULL"));
    }

    [Fact]
    public async Task Coach_id_limits_the_sweep()
    {
        var output = JobOutput.Of(await gp.RunAsync(GamePlatformTotalsSweepHandler.Name, new { coachId = "coach-1" }));

        Assert.Equal(3, output.Num("refreshed"));
        Assert.Equal(3, await gp.CountAsync("SELECT count(*) FROM game_platform.game_platform_competitors WHERE needs_totals_refresh AND coach_id = 'coach-2'"));
        Assert.Equal(0, await gp.CountAsync("SELECT count(*) FROM game_platform.game_platform_competitors WHERE needs_totals_refresh AND coach_id = 'coach-1'"));
        Assert.Equal(0, gp.Sim.Requests("totals:gp-user-201"));
    }

    [Fact]
    public async Task Batch_size_out_of_bounds_is_rejected_with_the_field_named()
    {
        var handler = new JobHandlerLookup(gp.Services).Get(GamePlatformTotalsSweepHandler.Name);
        Assert.Contains(handler.ValidatePayload(System.Text.Json.JsonSerializer.SerializeToElement(new { batchSize = 0 })), e => e.Field == "batchSize");
        Assert.Contains(handler.ValidatePayload(System.Text.Json.JsonSerializer.SerializeToElement(new { batchSize = 1001 })), e => e.Field == "batchSize");
        Assert.Empty(handler.ValidatePayload(System.Text.Json.JsonSerializer.SerializeToElement(new { batchSize = 1000, dryRun = false })));
    }

    [Fact]
    public async Task Activity_synced_while_a_sweep_is_in_flight_keeps_the_flag_for_the_next_sweep()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gp.Sim.OnTotalsRequest = async (userId, ct) =>
        {
            if (userId == "gp-user-101")
            {
                entered.TrySetResult();
                await release.Task.WaitAsync(ct);
            }
        };

        var sweepId = await gp.EnqueueAsync(GamePlatformTotalsSweepHandler.Name, new { coachId = "coach-1" });
        var sweepPass = gp.Runner.RunPassAsync(new RunPassRequest(Limit: 1));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // the sweep has read gp-user-101's totals request; new activity arrives and a sync writes it
        gp.Sim.Append("gp-user-101", 2, null, 5, "win");
        var sync = await gp.RunAsync(GamePlatformSyncHandler.Name, new { coachId = "coach-1" });
        Assert.Equal(2, JobOutput.Of(sync).Num("activitiesWritten"));

        release.SetResult();
        await sweepPass;
        var sweep = JobOutput.Of((await gp.Jobs.GetAsync(sweepId))!);
        Assert.Equal(3, sweep.Num("refreshed"));

        // the simulator answered after the append, so the totals are fresh; either way the flag
        // the sync set after the sweep read the row survives: the next sweep refreshes it again
        Assert.Equal(1, sweep.Num("stillFlagged"));
        Assert.True(await gp.FlaggedAsync("gp-user-101"));
        Assert.False(await gp.FlaggedAsync("gp-user-102"));

        gp.Sim.OnTotalsRequest = null;
        var next = JobOutput.Of(await gp.RunAsync(GamePlatformTotalsSweepHandler.Name, new { }));
        Assert.Equal(4, next.Num("refreshed"));
        Assert.False(await gp.FlaggedAsync("gp-user-101"));
        await AssertTotalsMatchTheSimulatorAsync("gp-user-101");
    }

    [Fact]
    public async Task Two_sweeps_at_once_take_disjoint_batches_and_fetch_each_competitor_once()
    {
        gp.Sim.OnTotalsRequest = async (_, ct) => await Task.Delay(50, ct);
        var a = await gp.EnqueueAsync(GamePlatformTotalsSweepHandler.Name, new { batchSize = 2 });
        var b = await gp.EnqueueAsync(GamePlatformTotalsSweepHandler.Name, new { batchSize = 2 });

        await Task.WhenAll(
            gp.Runner.RunPassAsync(new RunPassRequest(Limit: 1)),
            gp.Runner.RunPassAsync(new RunPassRequest(Limit: 1)));

        var outA = JobOutput.Of((await gp.Jobs.GetAsync(a))!);
        var outB = JobOutput.Of((await gp.Jobs.GetAsync(b))!);
        Assert.Equal(6, outA.Num("refreshed") + outB.Num("refreshed"));
        Assert.Equal(6, outA.Num("flagsCleared") + outB.Num("flagsCleared"));
        foreach (var c in gp.Sim.Competitors())
        {
            Assert.Equal(1, gp.Sim.Requests($"totals:{c.UserId}"));
        }

        Assert.Equal(0, await gp.CountAsync("SELECT count(*) FROM game_platform.game_platform_competitors WHERE needs_totals_refresh OR totals_claimed_by IS NOT NULL"));
    }
}
