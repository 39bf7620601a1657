namespace JobQueue.GamePlatform;

/// <summary>
/// Creates <see cref="GamePlatformClient"/>s over the named <c>HttpClient</c> (its handlers and
/// resilience pipeline come from <c>IHttpClientFactory</c>). Handlers are singletons: they create a
/// client per run so that handler rotation works and the API key handler is resolved only when a
/// Game Platform job actually runs.
/// </summary>
public sealed class GamePlatformClientFactory(IHttpClientFactory httpClientFactory, TimeProvider time)
{
    public const string HttpClientName = "GamePlatform";

    public GamePlatformClient Create() => new(httpClientFactory.CreateClient(HttpClientName), time);
}
