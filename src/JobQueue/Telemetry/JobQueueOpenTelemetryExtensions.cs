using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace JobQueue.Telemetry;

/// <summary>
/// The telemetry wiring both hosts share: OpenTelemetry with the Azure Monitor exporter (logs,
/// traces, metrics), the library's <c>JobQueue</c> source and meter, and HttpClient's spans (the Game
/// Platform calls inside an attempt) — only when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set;
/// without it nothing is registered and nothing is exported.
/// </summary>
public static class JobQueueOpenTelemetryExtensions
{
    public const string ConnectionStringKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The standard sampler setting; when it is set the exporter's own reading of it decides.</summary>
    public const string SamplerKey = "OTEL_TRACES_SAMPLER";

    /// <param name="hostDefaults">The host's own part (the Functions worker's defaults, ASP.NET Core's request spans).</param>
    public static IServiceCollection AddJobQueueOpenTelemetry(
        this IServiceCollection services, IConfiguration configuration, Action<IOpenTelemetryBuilder>? hostDefaults = null)
    {
        var connectionString = configuration[ConnectionStringKey];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return services;
        }

        var builder = services.AddOpenTelemetry();
        hostDefaults?.Invoke(builder);
        builder
            .WithTracing(tracing => tracing.AddSource(JobQueueTelemetry.Name, "System.Net.Http"))
            .WithMetrics(metrics => metrics.AddMeter(JobQueueTelemetry.Name))
            .UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                options.Credential = AzureMonitorCredential.FromAuthenticationString(configuration[AzureMonitorCredential.SettingKey]);
                if (string.IsNullOrWhiteSpace(configuration[SamplerKey]))
                {
                    // every trace (the exporter's default rate limit drops attempts even at a few a minute);
                    // a busy deployment sets OTEL_TRACES_SAMPLER=microsoft.rate_limited (README, Monitoring)
                    options.TracesPerSecond = null;
                    options.SamplingRatio = 1.0F;
                }

                // the runner's log events are never dropped with a sampled-out trace: the "failed for
                // good" alert and the workbook's error list read them
                options.EnableTraceBasedLogsSampler = false;
            });
        return services;
    }
}
