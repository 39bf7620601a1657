using JobQueue.Handlers;
using JobQueue.Queue;

namespace JobQueue.Tests.GamePlatform;

/// <summary>game_platform_sync through the real runner, against the simulator and a real database.</summary>
public sealed class GamePlatformSyncTests : IAsyncLifetime
{
    private GamePlatformHarness gp = null!;

    public async Task InitializeAsync() => gp = await GamePlatformHarness.StartAsync();

    public async Task DisposeAsync() => await gp.DisposeAsync();

    private int SimActivityCount => gp.Sim.Competitors().Sum(c => c.Activity.Count);

    [Fact]
    public async Task First_sync_writes_every_activity_flags_every_competitor_and_sets_watermarks()
    {
        var job = await gp.RunAsync(GamePlatformSyncHandler.Name, new { });

        Assert.Equal(JobStatus.Succeeded, job.Status);
        var output = JobOutput.Of(job);
        Assert.Equal(6, output.Num("competitors"));
        Assert.Equal(6, output.Num("synced"));
        Assert.Equal(0, output.Num("failed"));
        Assert.Equal(SimActivityCount, output.Num("activitiesWritten"));
        Assert.Equal(6, output.Num("flagged"));
        Assert.Equal(SimActivityCount, await gp.CountAsync("SELECT count(*) FROM game_platform.game_platform_activity"));
        Assert.Equal(6, await gp.CountAsync("SELECT count(*) FROM game_platform.game_platform_competitors WHERE needs_totals_refresh"));
        foreach (var c in gp.Sim.Competitors())
        {
            Assert.Equal(c.Activity.Max(a => a.OccurredAtUnix), await gp.Db.ScalarAsync<long>(
                "SELECT sync_watermark_unix FROM game_platform.game_platform_competitors WHERE game_platform_user_id = $1", c.UserId));
        }
    }

    [Fact]
    public async Task Later_syncs_write_only_new_activity_and_flag_only_competitors_that_had_some()
    {
        await gp.RunAsync(GamePlatformSyncHandler.Name, new { });
        await gp.RunAsync(GamePlatformTotalsSweepHandler.Name, new { });
        Assert.Equal(0, await gp.CountAsync("SELECT count(*) FROM game_platform.game_platform_competitors WHERE needs_totals_refresh"));

        gp.Sim.Append("gp-user-102", 3, null, null, null);
        gp.Sim.Append("gp-user-201", 1, null, null, null);
        var second = JobOutput.Of(await gp.RunAsync(GamePlatformSyncHandler.Name, new { }));

        Assert.Equal(4, second.Num("activitiesWritten"));
        Assert.Equal(2, second.Num("flagged"));
        Assert.True(await gp.FlaggedAsync("gp-user-102"));
        Assert.True(await gp.FlaggedAsync("gp-user-201"));
        Assert.False(await gp.FlaggedAsync("gp-user-101"));
        Assert.Equal(SimActivityCount, await gp.CountAsync("SELECT count(*) FROM game_platform.game_platform_activity"));

        var third = JobOutput.Of(await gp.RunAsync(GamePlatformSyncHandler.Name, new { }));
        Assert.Equal(0, third.Num("activitiesWritten"));
        Assert.Equal(0, third.Num("flagged"));
        Assert.Equal(6, third.Num("synced"));
        Assert.Equal(SimActivityCount, await gp.CountAsync("SELECT count(*) FROM game_platform.game_platform_activity"));
    }

    [Fact]
    public async Task Late_activity_inside_the_overlap_window_is_still_picked_up()
    {
        await gp.RunAsync(GamePlatformSyncHandler.Name, new { });
        var user = gp.Sim.Find("gp-user-103")!;
        var newest = user.Activity.Max(a => a.OccurredAtUnix);
        gp.Sim.Append("gp-user-103", 1, newest - 60, 7, "win");

        var output = JobOutput.Of(await gp.RunAsync(GamePlatformSyncHandler.Name, new { }));

        Assert.Equal(1, output.Num("activitiesWritten"));
        Assert.Equal(newest, await gp.Db.ScalarAsync<long>(
            "SELECT sync_watermark_unix FROM game_platform.game_platform_competitors WHERE game_platform_user_id = 'gp-user-103'"));
    }

    [Fact]
    public async Task Dry_run_reads_everything_writes_nothing_and_says_what_would_change()
    {
        var output = JobOutput.Of(await gp.RunAsync(GamePlatformSyncHandler.Name, new { dryRun = true }));

        Assert.True(output.GetProperty("dryRun").GetBoolean());
        Assert.Equal(SimActivityCount, output.Num("activitiesWritten"));
        Assert.Equal(6, output.Num("flagged"));
        Assert.Equal(6, output.GetProperty("changes").GetArrayLength());
        Assert.Equal(0, await gp.CountAsync("SELECT count(*) FROM game_platform.game_platform_activity"));
        Assert.Equal(0, await gp.CountAsync(
            "SELECT count(*) FROM game_platform.game_platform_competitors WHERE needs_totals_refresh OR sync_watermark_unix IS NOT NULL OR last_synced_at IS NOT NULL"));
        Assert.True(gp.Sim.Requests("activity") >= 6);
    }

    [Fact]
    public async Task Coach_id_limits_the_sync_to_that_coachs_competitors()
    {
        var output = JobOutput.Of(await gp.RunAsync(GamePlatformSyncHandler.Name, new { coachId = "coach-2" }));

        Assert.Equal(3, output.Num("competitors"));
        Assert.Equal(0, await gp.CountAsync(
            "SELECT count(*) FROM game_platform.game_platform_activity a JOIN game_platform.game_platform_competitors c ON c.id = a.competitor_id WHERE c.coach_id <> 'coach-2'"));
        Assert.Equal(3, await gp.CountAsync("SELECT count(*) FROM game_platform.game_platform_competitors WHERE needs_totals_refresh AND coach_id = 'coach-2'"));
        Assert.Equal(0, gp.Sim.Requests("activity:gp-user-101"));
        Assert.True(gp.Sim.Requests("activity:gp-user-201") > 0);
    }

    [Fact]
    public async Task After_time_unix_backfills_from_the_given_time_and_never_moves_the_watermark_back()
    {
        await gp.RunAsync(GamePlatformSyncHandler.Name, new { });
        var c = gp.Sim.Find("gp-user-101")!;
        var watermark = c.Activity.Max(a => a.OccurredAtUnix);
        await gp.Db.ExecuteAsync("DELETE FROM game_platform.game_platform_activity");

        var output = JobOutput.Of(await gp.RunAsync(GamePlatformSyncHandler.Name, new { afterTimeUnix = 0, coachId = "coach-1" }));

        Assert.Equal(gp.Sim.Competitors().Where(x => x.CoachId == "coach-1").Sum(x => x.Activity.Count), output.Num("activitiesWritten"));
        Assert.Equal(watermark, await gp.Db.ScalarAsync<long>(
            "SELECT sync_watermark_unix FROM game_platform.game_platform_competitors WHERE game_platform_user_id = 'gp-user-101'"));
    }

    [Fact]
    public async Task One_competitors_failure_is_recorded_and_does_not_stop_the_others()
    {
        await gp.Store.UpsertCompetitorAsync("coach-1", "gp-user-unknown", "Gone");

        var job = await gp.RunAsync(GamePlatformSyncHandler.Name, new { });

        Assert.Equal(JobStatus.Succeeded, job.Status);
        var output = JobOutput.Of(job);
        Assert.Equal(6, output.Num("synced"));
        Assert.Equal(1, output.Num("failed"));
        var error = output.GetProperty("errors")[0];
        Assert.Equal("gp-user-unknown", error.GetProperty("userId").GetString());
        Assert.Equal("NotFound", error.GetProperty("failure").GetString());
        Assert.Null(await gp.Db.ScalarAsync<long?>(
            "SELECT sync_watermark_unix FROM game_platform.game_platform_competitors WHERE game_platform_user_id = 'gp-user-unknown'"));
    }

    [Fact]
    public async Task Invalid_payloads_fail_at_once_naming_the_field()
    {
        var handler = new JobHandlerLookup(gp.Services).Get(GamePlatformSyncHandler.Name);

        Assert.Contains(handler.ValidatePayload(Json("""{"coachId":""}""")), e => e.Field == "coachId");
        Assert.Contains(handler.ValidatePayload(Json("""{"afterTimeUnix":-5}""")), e => e.Field == "afterTimeUnix");
        Assert.Contains(handler.ValidatePayload(Json("""{"dryRun":"yes"}""")), e => e.Field == "dryRun");
        Assert.Empty(handler.ValidatePayload(Json("""{"dryRun":true,"coachId":"coach-1","afterTimeUnix":1767225600}""")));

        var job = await gp.Jobs.GetAsync(await gp.Queue.EnqueueAsync(new EnqueueRequest(GamePlatformSyncHandler.Name, Json("""{"afterTimeUnix":-1}"""))));
        var finished = await gp.RunUntilFinishedAsync(job!.Id);
        Assert.Equal(JobStatus.Failed, finished.Status);
        Assert.Equal(1, finished.Attempts);
        Assert.Contains("afterTimeUnix", finished.LastError, StringComparison.Ordinal);
    }

    private static System.Text.Json.JsonElement Json(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();
}
