using JobQueue;
using JobQueue.Database;
using JobQueue.Telemetry;
using JobQueue.WakeUp;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

// ASP.NET Core integration: HTTP functions take HttpRequest and return the library's IResult
builder.ConfigureFunctionsWebApplication();

// OpenTelemetry (host.json "telemetryMode": "OpenTelemetry"): the worker's logs, the JobQueue traces
// and metrics to Azure Monitor when APPLICATIONINSIGHTS_CONNECTION_STRING is set (README, Monitoring)
builder.Services.AddJobQueueOpenTelemetry(builder.Configuration, otel => otel.UseFunctionsWorkerDefaults());

builder.Services.AddJobQueue(builder.Configuration);
// after an enqueue through the app, a message to the wake-up queue (RunnerWakeUpFunctions drains): off without storage
builder.Services.AddJobQueueWakeUpQueue(builder.Configuration);

var host = builder.Build();
await StartupMigration.RunIfEnabledAsync(host.Services);
await host.RunAsync();
