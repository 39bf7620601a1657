using JobQueue;
using JobQueue.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = FunctionsApplication.CreateBuilder(args);

// ASP.NET Core integration: HTTP functions take HttpRequest and return the library's IResult
builder.ConfigureFunctionsWebApplication();

// a database outage answers 503 (Retry-After, problem+json) on every HTTP function, as on the server
builder.UseMiddleware<DatabaseOutageMiddleware>();

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
builder.Services.AddHostedService<JobQueueMetricsExporter>();

// The database start-up (migrations, then the app's login) runs in the background and retries with
// backoff until PostgreSQL is there (DatabaseStartupService, registered by AddJobQueue): the worker
// starts without a database instead of dying and being restarted by the host in a loop.
var host = builder.Build();
await host.RunAsync();
