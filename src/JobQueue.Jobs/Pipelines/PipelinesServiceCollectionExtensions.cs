using JobQueue.HttpJobs;
using JobQueue.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace JobQueue.Pipelines;

/// <summary>Registers the <c>stats_update</c> pipeline and its cache invalidation client (called by <c>AddJobQueue</c>).</summary>
public static class PipelinesServiceCollectionExtensions
{
    public static IServiceCollection AddStatsPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StatsUpdateOptions>()
            .Bind(configuration.GetSection(StatsUpdateOptions.Section))
            .Configure(o =>
            {
                // each step's CacheTags: "a,b" or an array
                for (var i = 0; i < o.Steps.Count; i++)
                {
                    o.Steps[i].CacheTags = [.. ListSetting.Read(configuration, $"{StatsUpdateOptions.Section}:Steps:{i}:CacheTags")];
                }
            });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StatsUpdateSteps>();
        services.TryAddSingleton<StatsCacheInvalidator>();
        services.TryAddTransient<SameHostRedirectHandler>();
        var client = services.AddHttpClient(StatsCacheInvalidator.ClientName, http =>
            {
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.MaxResponseContentBufferSize = 1024 * 1024;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .RedactLoggedHeaders(_ => true);
        client.AddResilienceHandler("stats-cache-invalidation", (pipeline, context) =>
            HttpJobResilience.Configure(
                pipeline,
                context.ServiceProvider.GetRequiredService<IOptions<HttpJobsOptions>>().Value,
                context.ServiceProvider.GetRequiredService<TimeProvider>()));
        client.AddHttpMessageHandler<SameHostRedirectHandler>();
        services.AddJobHandler<StatsUpdateHandler>();
        return services;
    }
}
