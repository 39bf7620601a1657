using JobQueue;
using JobQueue.Functions;
using JobQueue.Telemetry;
using JobQueue.WakeUp;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

// ASP.NET Core integration: HTTP functions take HttpRequest and return the library's IResult
builder.ConfigureFunctionsWebApplication();

// a database outage answers 503 (Retry-After, problem+json) on every HTTP function, as on the server
builder.UseMiddleware<DatabaseOutageMiddleware>();

// OpenTelemetry (host.json "telemetryMode": "OpenTelemetry"): the worker's logs, the JobQueue traces
// and metrics to Azure Monitor when APPLICATIONINSIGHTS_CONNECTION_STRING is set (README, Monitoring)
builder.Services.AddJobQueueOpenTelemetry(builder.Configuration, otel => otel.UseFunctionsWorkerDefaults());

builder.Services.AddJobQueue(builder.Configuration)
    .AddHttpJobs().AddSqlJobs().AddStatsPipeline().AddGamePlatform().AddCleanupJob().AddSupabaseTooling();
// after an enqueue through the app, a message to the wake-up queue (RunnerWakeUpFunctions drains): off without storage
builder.Services.AddJobQueueWakeUpQueue(builder.Configuration);

// The database start-up (migrations, then the app's login) runs in the background and retries with
// backoff until PostgreSQL is there (DatabaseStartupService, registered by AddJobQueue): the worker
// starts without a database instead of dying and being restarted by the host in a loop.
var host = builder.Build();
await host.RunAsync();
