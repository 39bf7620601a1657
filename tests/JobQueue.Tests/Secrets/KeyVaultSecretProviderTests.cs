using JobQueue.Secrets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace JobQueue.Tests.Secrets;

public sealed class KeyVaultSecretProviderTests
{
    private readonly KeyVaultFake vault = new();
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2030-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private KeyVaultSecretProvider Provider(int cacheSeconds = 300, int timeoutSeconds = 10) =>
        new(vault.Client, Options.Create(new SecretOptions { VaultUri = "https://vault.example/", CacheSeconds = cacheSeconds, TimeoutSeconds = timeoutSeconds }),
            time, NullLogger<KeyVaultSecretProvider>.Instance);

    [Fact]
    public async Task Values_are_cached_for_the_configured_time_then_read_again()
    {
        vault.Add("admin-token", "one");
        var provider = Provider(cacheSeconds: 60);

        Assert.Equal("one", await provider.GetAsync("admin-token"));
        vault.Add("admin-token", "two");
        Assert.Equal("one", await provider.GetAsync("admin-token"));
        await vault.Client.Received(1).GetSecretAsync("admin-token", null, Arg.Any<CancellationToken>());

        time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal("two", await provider.GetAsync("admin-token"));
        await vault.Client.Received(2).GetSecretAsync("admin-token", null, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task During_a_rotation_the_current_and_the_previous_enabled_version_are_accepted()
    {
        vault.Add("job-runner-secret", "ancient").Add("job-runner-secret", "disabled-one", enabled: false)
            .Add("job-runner-secret", "previous").Add("job-runner-secret", "current");

        var accepted = await Provider().GetAcceptedValuesAsync("job-runner-secret");

        Assert.Equal(["current", "previous"], accepted);
    }

    [Fact]
    public async Task A_single_version_is_the_only_accepted_value()
    {
        vault.Add("job-runner-secret", "only");
        Assert.Equal(["only"], await Provider().GetAcceptedValuesAsync("job-runner-secret"));
    }

    [Fact]
    public async Task When_the_vault_goes_down_cached_values_keep_working()
    {
        vault.Add("admin-token", "cached-value");
        var provider = Provider(cacheSeconds: 60);
        Assert.Equal("cached-value", await provider.GetAsync("admin-token"));

        vault.GoDown();
        time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal("cached-value", await provider.GetAsync("admin-token"));
    }

    [Fact]
    public async Task A_secret_never_loaded_while_the_vault_is_down_fails_clearly()
    {
        vault.GoDown();
        var e = await Assert.ThrowsAsync<SecretUnavailableException>(() => Provider().GetAsync("admin-token").AsTask());
        Assert.Contains("admin-token", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_never_loaded_from_a_vault_that_hangs_fails_after_the_timeout_instead_of_hanging()
    {
        vault.Hang();
        var e = await Assert.ThrowsAsync<SecretUnavailableException>(
            () => Provider(timeoutSeconds: 1).GetAsync("admin-token").AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("timed out", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_secret_is_reported_as_not_found()
    {
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Provider().GetAsync("nope").AsTask());
    }
}
