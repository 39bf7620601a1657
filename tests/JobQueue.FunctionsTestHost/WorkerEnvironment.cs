namespace JobQueue.FunctionsTestHost;

/// <summary>
/// The environment the host gives a dotnet-isolated worker: app settings as environment variables
/// (<c>Section:Key</c> becomes <c>Section__Key</c>, as on Azure), plus what the host itself sets for
/// its workers (<c>RpcWorkerProcess.CreateWorkerProcess</c>: worker and application directory).
/// </summary>
internal static class WorkerEnvironment
{
    public static IReadOnlyDictionary<string, string> For(FunctionsAppBuild app, IReadOnlyDictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["AzureWebJobsScriptRoot"] = app.Directory,
            ["FUNCTIONS_WORKER_DIRECTORY"] = app.Directory,
            ["FUNCTIONS_APPLICATION_DIRECTORY"] = app.Directory,
        };
        foreach (var (key, value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return environment;
    }
}
