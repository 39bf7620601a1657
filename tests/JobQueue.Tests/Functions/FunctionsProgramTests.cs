using JobQueue.FunctionsTestHost;

namespace JobQueue.Tests.Functions;

/// <summary>
/// What starting the worker (<see cref="FunctionsWorkerTests"/>) cannot show, read from the sources:
/// the OpenTelemetry wiring of Program.cs (no telemetry is sent in tests; the shared wiring itself is
/// tested in Telemetry/), the host's telemetry mode, and the project's Functions version and host.json.
/// </summary>
public sealed class FunctionsProgramTests
{
    [Fact]
    public void Program_sends_opentelemetry_through_the_library_wiring_with_the_worker_defaults()
    {
        var program = RepositoryFiles.Read(FunctionsAppBuild.ProjectDirectory + "/Program.cs");
        Assert.Contains("AddJobQueueOpenTelemetry(builder.Configuration, otel => otel.UseFunctionsWorkerDefaults())", program, StringComparison.Ordinal);
        var project = RepositoryFiles.Read(FunctionsAppBuild.ProjectDirectory + "/JobQueue.Functions.csproj");
        Assert.Contains("<PackageReference Include=\"Microsoft.Azure.Functions.Worker.OpenTelemetry\" />", project, StringComparison.Ordinal);
        Assert.DoesNotContain("ApplicationInsights", project, StringComparison.Ordinal);
        Assert.DoesNotContain("ApplicationInsights", program, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_json_sends_the_host_telemetry_through_opentelemetry()
    {
        using var host = System.Text.Json.JsonDocument.Parse(RepositoryFiles.Read("host.json"));
        Assert.Equal("OpenTelemetry", host.RootElement.GetProperty("telemetryMode").GetString());
        Assert.False(host.RootElement.GetProperty("logging").TryGetProperty("applicationInsights", out _), "applicationInsights settings do nothing in OpenTelemetry mode");
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
