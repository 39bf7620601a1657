using JobQueue;
using JobQueue.Database;
using JobQueue.Functions;
using JobQueue.WakeUp;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = FunctionsApplication.CreateBuilder(args);

// ASP.NET Core integration: HTTP functions take HttpRequest and return the library's IResult
builder.ConfigureFunctionsWebApplication();

// Application Insights straight from the worker. Adaptive sampling off: a few events a minute,
// and an alert reads the runner's Error events (README, Monitoring).
builder.Services
    .AddApplicationInsightsTelemetryWorkerService(options => options.EnableAdaptiveSampling = false)
    .ConfigureFunctionsApplicationInsights();

// The Application Insights SDK adds a filter rule that keeps only Warning and above; remove it so
// that host.json / Logging settings decide (the runner's attempt events are Information).
builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
{
    var defaultRule = options.Rules.FirstOrDefault(rule =>
        rule.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
    if (defaultRule is not null)
    {
        options.Rules.Remove(defaultRule);
    }
});

builder.Services.AddJobQueue(builder.Configuration);
// after an enqueue through the app, a message to the wake-up queue (RunnerWakeUpFunctions drains): off without storage
builder.Services.AddJobQueueWakeUpQueue(builder.Configuration);
builder.Services.AddHostedService<JobQueueMetricsExporter>();

var host = builder.Build();
await StartupMigration.RunIfEnabledAsync(host.Services);
await host.RunAsync();
