using JobQueue.Handlers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace JobQueue.GamePlatform;

/// <summary>Registers the Game Platform client, its store and the two handlers (called by <c>AddJobQueue</c>).</summary>
public static class GamePlatformServiceCollectionExtensions
{
    public static IServiceCollection AddGamePlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GamePlatformOptions>().Bind(configuration.GetSection(GamePlatformOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GamePlatformStore>();
        services.TryAddTransient<GamePlatformApiKeyHandler>();
        services.TryAddSingleton<GamePlatformClientFactory>();
        services.AddHttpClient(GamePlatformClientFactory.HttpClientName, (sp, http) =>
            {
                var baseUrl = sp.GetRequiredService<IOptions<GamePlatformOptions>>().Value.BaseUrl;
                if (Uri.TryCreate(baseUrl?.TrimEnd('/') + "/", UriKind.Absolute, out var uri))
                {
                    http.BaseAddress = uri;
                }

                // the resilience pipeline owns the timeouts
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<GamePlatformApiKeyHandler>()
            .AddResilienceHandler(GamePlatformResilience.PipelineName, (pipeline, context) =>
                GamePlatformResilience.Configure(
                    pipeline,
                    context.ServiceProvider.GetRequiredService<IOptions<GamePlatformOptions>>().Value,
                    context.ServiceProvider.GetRequiredService<TimeProvider>()));
        services.AddJobHandler<GamePlatformSyncHandler>();
        services.AddJobHandler<GamePlatformTotalsSweepHandler>();
        return services;
    }
}
