using JobQueue.Secrets;

namespace JobQueue.GamePlatform;

/// <summary>Adds the API key header (CONTRACT.md: <c>X-Api-Key</c>) from the secret provider to every request.</summary>
public sealed class GamePlatformApiKeyHandler(ISecretProvider secrets) : DelegatingHandler
{
    public const string HeaderName = "X-Api-Key";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var key = await secrets.GetAsync(SecretNames.GamePlatformApiKey, cancellationToken);
        request.Headers.Remove(HeaderName);
        request.Headers.TryAddWithoutValidation(HeaderName, key);
        return await base.SendAsync(request, cancellationToken);
    }
}
