using System.Text.Json;

namespace JobQueue.FunctionsTestHost;

/// <summary>
/// The built Functions app: the build output of <c>src/JobQueue.Functions</c> (infra/local/build.sh
/// builds it in Release), with the worker assembly, <c>functions.metadata</c>, <c>worker.config.json</c>
/// and <c>host.json</c> side by side, as the Functions host finds a deployed app.
/// </summary>
public sealed record FunctionsAppBuild(string Directory)
{
    public const string ProjectDirectory = "src/JobQueue.Functions";

    public string MetadataPath => Path.Combine(Directory, "functions.metadata");

    public string WorkerConfigPath => Path.Combine(Directory, "worker.config.json");

    public string HostJsonPath => Path.Combine(Directory, "host.json");

    /// <summary>The build output of the Functions project under <paramref name="repoRoot"/>.</summary>
    public static FunctionsAppBuild Locate(string repoRoot, string configuration = "Release")
    {
        var bin = Path.Combine(repoRoot, ProjectDirectory, "bin", configuration);
        var found = System.IO.Directory.Exists(bin)
            ? System.IO.Directory.GetFiles(bin, "functions.metadata", SearchOption.AllDirectories)
                .Select(Path.GetDirectoryName)
                .Where(dir => File.Exists(Path.Combine(dir!, "worker.config.json")))
                .OrderByDescending(dir => File.GetLastWriteTimeUtc(Path.Combine(dir!, "functions.metadata")))
                .FirstOrDefault()
            : null;
        return found is null
            ? throw new InvalidOperationException(
                $"no built Functions app under {bin}: run `bash infra/local/build.sh` (or `dotnet build {ProjectDirectory} -c {configuration}`)")
            : new FunctionsAppBuild(found);
    }

    /// <summary>
    /// How the host starts this app's worker (<c>worker.config.json</c> written by the Worker SDK):
    /// the executable (<c>dotnet</c>) and the worker assembly's full path.
    /// </summary>
    public (string Executable, string WorkerPath) WorkerCommand()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(WorkerConfigPath));
        var description = config.RootElement.GetProperty("description");
        return (description.GetProperty("defaultExecutablePath").GetString()!,
            Path.Combine(Directory, description.GetProperty("defaultWorkerPath").GetString()!));
    }

    /// <summary>The HTTP route prefix of <c>host.json</c> (<c>extensions.http.routePrefix</c>, default <c>api</c>).</summary>
    public string RoutePrefix()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(HostJsonPath));
        return hostJson.RootElement.TryGetProperty("extensions", out var extensions)
               && extensions.TryGetProperty("http", out var http)
               && http.TryGetProperty("routePrefix", out var prefix)
            ? prefix.GetString() ?? ""
            : "api";
    }
}
