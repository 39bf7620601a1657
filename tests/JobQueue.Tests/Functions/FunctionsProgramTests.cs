using JobQueue.FunctionsTestHost;

namespace JobQueue.Tests.Functions;

/// <summary>
/// What starting the worker (<see cref="FunctionsWorkerTests"/>) cannot show, read from the sources:
/// the Application Insights wiring of Program.cs (no telemetry is sent in tests) and the project's
/// Functions version and host.json.
/// </summary>
public sealed class FunctionsProgramTests
{
    [Fact]
    public void Program_sends_application_insights_telemetry_unsampled_and_lets_logging_settings_decide()
    {
        var program = RepositoryFiles.Read(FunctionsAppBuild.ProjectDirectory + "/Program.cs");
        foreach (var call in new[]
                 {
                     "AddApplicationInsightsTelemetryWorkerService(options => options.EnableAdaptiveSampling = false)",
                     ".ConfigureFunctionsApplicationInsights()",
                     "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider",
                     "AddHostedService<JobQueueMetricsExporter>()",
                 })
        {
            Assert.Contains(call, program, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Project_targets_functions_v4_with_the_repository_host_json()
    {
        var project = RepositoryFiles.Read(FunctionsAppBuild.ProjectDirectory + "/JobQueue.Functions.csproj");
        Assert.Contains("<AzureFunctionsVersion>v4</AzureFunctionsVersion>", project, StringComparison.Ordinal);
        Assert.Contains("<None Include=\"../../host.json\" CopyToOutputDirectory=\"PreserveNewest\" Link=\"host.json\" />", project, StringComparison.Ordinal);
        Assert.Equal(RepositoryFiles.Read("host.json"), File.ReadAllText(FunctionsWorkerFixture.App.HostJsonPath));
    }
}
