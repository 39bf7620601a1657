// Stand-ins for the Azure Functions Worker types the Functions sources use, with the signatures of
// the official packages (Worker 2.52, Worker.Extensions.Timer 4.3, Http.AspNetCore 2.1,
// Worker.ApplicationInsights 2.51, ApplicationInsights.WorkerService 2.23). Compile-time only.
#pragma warning disable CA1019, CA1813, CA1018, CA1711, CA1030, CA1052, CA1050
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Azure.Functions.Worker
{
    [AttributeUsage(AttributeTargets.Method)] public sealed class FunctionAttribute(string name) : Attribute { public string Name { get; } = name; }
    public enum AuthorizationLevel { Anonymous, User, Function, System, Admin }
    [AttributeUsage(AttributeTargets.Parameter)] public sealed class HttpTriggerAttribute : Attribute
    {
        public HttpTriggerAttribute(params string[] methods) { Methods = methods; }
        public HttpTriggerAttribute(AuthorizationLevel authLevel, params string[] methods) { AuthLevel = authLevel; Methods = methods; }
        public AuthorizationLevel AuthLevel { get; }
        public string[] Methods { get; }
        public string? Route { get; set; }
    }
    [AttributeUsage(AttributeTargets.Parameter)] public sealed class TimerTriggerAttribute(string schedule) : Attribute
    {
        public string Schedule { get; } = schedule;
        public bool UseMonitor { get; set; }
        public bool RunOnStartup { get; set; }
    }
    public class TimerInfo { public bool IsPastDue { get; set; } }
    public static class FunctionsApplicationInsightsExtensions
    {
        public static IServiceCollection ConfigureFunctionsApplicationInsights(this IServiceCollection services) => services;
    }
}

namespace Microsoft.Azure.Functions.Worker.Builder
{
    public class FunctionsApplicationBuilder
    {
        private readonly HostApplicationBuilder inner = new();
        public IServiceCollection Services => inner.Services;
        public ILoggingBuilder Logging => inner.Logging;
        public ConfigurationManager Configuration => inner.Configuration;
        public IHost Build() => inner.Build();
    }
    public class FunctionsApplication { public static FunctionsApplicationBuilder CreateBuilder(string[] args) => new(); }
    public static class FunctionsApplicationBuilderAspNetCoreExtensions
    {
        public static FunctionsApplicationBuilder ConfigureFunctionsWebApplication(this FunctionsApplicationBuilder builder) => builder;
    }
}

namespace Microsoft.ApplicationInsights.WorkerService
{
    public class ApplicationInsightsServiceOptions { public bool EnableAdaptiveSampling { get; set; } = true; }
}

namespace Microsoft.Extensions.DependencyInjection
{
    public static class ApplicationInsightsExtensions
    {
        public static IServiceCollection AddApplicationInsightsTelemetryWorkerService(this IServiceCollection services) => services;
        public static IServiceCollection AddApplicationInsightsTelemetryWorkerService(this IServiceCollection services, Action<Microsoft.ApplicationInsights.WorkerService.ApplicationInsightsServiceOptions> options) => services;
    }
}
