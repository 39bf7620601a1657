namespace JobQueue.FunctionsTestHost;

/// <summary>What <see cref="FunctionsHost"/> starts and how long it waits.</summary>
public sealed record FunctionsHostOptions(FunctionsAppBuild App)
{
    /// <summary>App settings (<c>Section:Key</c> or <c>Section__Key</c>), given to the worker as environment variables.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>From process start to all functions loaded.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>One invocation, HTTP response included.</summary>
    public TimeSpan InvocationTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>After WorkerTerminate, how long the worker may take to exit before it is killed.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
