using JobQueue.Api;
using JobQueue.Cron;
using JobQueue.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Infrastructure;

/// <summary>The route table and schedules of the engine composed with every module, as both hosts compose them.</summary>
public static class ComposedApp
{
    private static readonly Lazy<ServiceProvider> Services = new(() =>
    {
        var config = new ConfigurationBuilder().Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(config).AddJobQueueWithEveryModule(config).BuildServiceProvider();
    });

    public static IReadOnlyList<ApiRoute> Routes => Services.Value.GetRequiredService<ApiRouteTable>().All;

    public static IReadOnlyList<ScheduleDefinition> Schedules => Services.Value.GetRequiredService<ScheduleTable>().All;

    public static IReadOnlyList<StandingSchedule> Standing => Services.Value.GetRequiredService<ScheduleTable>().Standing;
}
