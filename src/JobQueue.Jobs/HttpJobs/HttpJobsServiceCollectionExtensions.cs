using System.Net;
using JobQueue.Secrets;
using JobQueue.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace JobQueue.HttpJobs;

/// <summary>Registers the <c>http_request</c> task type and its HTTP client (called by <c>AddJobQueue</c>).</summary>
public static class HttpJobsServiceCollectionExtensions
{
    public static IServiceCollection AddHttpJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HttpJobsOptions>()
            .Bind(configuration.GetSection(HttpJobsOptions.Section))
            .Configure(o =>
            {
                o.AllowedHosts = [.. ListSetting.Read(configuration, $"{HttpJobsOptions.Section}:{nameof(HttpJobsOptions.AllowedHosts)}")];
                o.SecretDestinations = configuration.GetSection(SecretDestinations.SettingPrefix).GetChildren()
                    .ToDictionary(secret => secret.Key, secret => ListSetting.Read(configuration, secret.Path).ToList(), StringComparer.OrdinalIgnoreCase);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpJobsOptions>, HttpJobsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AppSecrets>();
        services.TryAddSingleton<HttpTargetPolicy>();
        services.TryAddSingleton<SecretDestinations>();
        services.AddHostedService<SharedSuffixWarning>();
        services.TryAddSingleton<HttpRequestRules>();
        services.TryAddTransient<SameHostRedirectHandler>();

        var client = services.AddHttpClient(HttpRequestHandler.ClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                UseProxy = false,
                AutomaticDecompression = DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = PrivateNetworks.ConnectCallback(sp.GetRequiredService<IOptions<HttpJobsOptions>>().Value.AllowPrivateNetworks),
            })
            // header values (secret ones included) never reach the HTTP client's log lines
            .RedactLoggedHeaders(_ => true);
        client.AddResilienceHandler(HttpJobResilience.PipelineName, (pipeline, context) =>
                HttpJobResilience.Configure(
                    pipeline,
                    context.ServiceProvider.GetRequiredService<IOptions<HttpJobsOptions>>().Value,
                    context.ServiceProvider.GetRequiredService<TimeProvider>()))
            .SelectPipelineByAuthority();
        client.AddHttpMessageHandler<SameHostRedirectHandler>();

        services.AddJobHandler<HttpRequestHandler>();
        return services;
    }
}
