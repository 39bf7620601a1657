using JobQueue.Api;
using JobQueue.Composition;
using JobQueue.Cron;
using JobQueue.GamePlatform;
using JobQueue.Handlers;
using JobQueue.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue;

/// <summary>
/// The team's Game Platform integration on the engine's builder (<c>AddJobQueue(configuration).AddGamePlatform()</c>):
/// the client, the <c>game_platform_sync</c> and <c>game_platform_totals_sweep</c> handlers, their trigger
/// routes and dashboard buttons, their standing schedules, and its migration set (tables and functions
/// in the schema <c>game_platform</c>, <see cref="GamePlatformSchema"/>), which the engine's migrator applies after its own.
/// </summary>
public static class GamePlatformBuilderExtensions
{
    public static readonly ScheduleDefinition SyncSchedule =
        new("GamePlatformSync", "Schedules:GamePlatformSync", "0 */30 * * * *", GamePlatformSyncHandler.Name);

    public static readonly ScheduleDefinition TotalsSweepSchedule =
        new("GamePlatformTotalsSweep", "Schedules:GamePlatformTotalsSweep", "0 0 * * * *", GamePlatformTotalsSweepHandler.Name);

    /// <summary>The trigger routes of the dashboard's buttons.</summary>
    public static ApiRouteSet Routes { get; } = new(
        [
            ApiRoutes.Route<TriggerEndpoints, TriggerSyncRequest>("AdminJobsTriggerSync", "POST", "admin/jobs/trigger-sync", ApiAuth.Admin, (e, c, r) => e.TriggerSyncAsync(c, r))
                with { Audit = new("job.trigger-sync"), ResponseType = typeof(JobEnqueuedResponse), Summary = "Enqueue a Game Platform sync" },
            ApiRoutes.Route<TriggerEndpoints, TriggerTotalsSweepRequest>("AdminJobsTriggerTotalsSweep", "POST", "admin/jobs/trigger-totals-sweep", ApiAuth.Admin,
                (e, c, r) => e.TriggerTotalsSweepAsync(c, r))
                with { Audit = new("job.trigger-totals-sweep"), ResponseType = typeof(JobEnqueuedResponse), Summary = "Enqueue a Game Platform totals sweep" },
        ]);

    public static JobQueueBuilder AddGamePlatform(this JobQueueBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGamePlatform(builder.Configuration);
        return builder
            .AddModuleSchema(GamePlatformSchema.Set)
            .AddRoutes(Routes)
            .AddSchedule(SyncSchedule, new StandingSchedule("standing_game_platform_sync", "*/30 * * * *", GamePlatformSyncHandler.Name))
            .AddSchedule(TotalsSweepSchedule, new StandingSchedule("standing_game_platform_totals_sweep", "0 * * * *", GamePlatformTotalsSweepHandler.Name))
            .AddTriggerAction(new TriggerAction("Start Game Platform sync", "admin/jobs/trigger-sync", GamePlatformSyncHandler.Name))
            .AddTriggerAction(new TriggerAction("Start Game Platform totals sweep", "admin/jobs/trigger-totals-sweep", GamePlatformTotalsSweepHandler.Name));
    }
}
