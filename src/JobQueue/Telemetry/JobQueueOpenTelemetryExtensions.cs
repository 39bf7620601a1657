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
                // Traces may be sampled (OTEL_TRACES_SAMPLER / _ARG); the runner's log events never are:
                // the "failed for good" alert and the workbook's error list read them.
                options.EnableTraceBasedLogsSampler = false;
            });
        return services;
    }
}
