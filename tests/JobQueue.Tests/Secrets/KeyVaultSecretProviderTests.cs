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

    private KeyVaultSecretProvider Provider(int cacheSeconds = 300, int timeoutSeconds = 10, int maxStaleSeconds = 3600) =>
        new(vault.Client, Options.Create(new SecretOptions
            {
                VaultUri = "https://vault.example/", CacheSeconds = cacheSeconds, TimeoutSeconds = timeoutSeconds, MaxStaleSeconds = maxStaleSeconds,
            }),
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

    [Fact]
    public async Task During_an_outage_a_cached_value_is_served_only_up_to_the_staleness_bound_then_reads_fail_closed()
    {
        vault.Add("admin-token", "cached-value");
        var provider = Provider(cacheSeconds: 60, maxStaleSeconds: 600);
        Assert.Equal("cached-value", await provider.GetAsync("admin-token"));
        vault.GoDown();

        time.Advance(TimeSpan.FromSeconds(60 + 590));
        Assert.Equal("cached-value", await provider.GetAsync("admin-token"));
        time.Advance(TimeSpan.FromSeconds(20));
        await Assert.ThrowsAsync<SecretUnavailableException>(() => provider.GetAsync("admin-token").AsTask());
    }

    [Fact]
    public async Task A_disabled_current_version_answers_403_and_the_cached_value_is_dropped_at_once()
    {
        vault.Add("admin-token", "old").Add("admin-token", "compromised");
        var provider = Provider(cacheSeconds: 60);
        Assert.Equal("compromised", await provider.GetAsync("admin-token"));

        vault.Disable("admin-token", 1);
        time.Advance(TimeSpan.FromSeconds(61));

        var e = await Assert.ThrowsAsync<SecretUnavailableException>(() => provider.GetAsync("admin-token").AsTask());
        Assert.Contains("403", e.Message, StringComparison.Ordinal);
        // not served from the cache afterwards either, even within the staleness bound
        await Assert.ThrowsAsync<SecretUnavailableException>(() => provider.GetAsync("admin-token").AsTask());
    }

    [Fact]
    public async Task Disabling_the_newest_version_withdraws_it_from_the_accepted_values()
    {
        vault.Add("job-runner-secret", "v0").Add("job-runner-secret", "v1").Add("job-runner-secret", "v2-leaked");
        var provider = Provider(cacheSeconds: 60);
        Assert.Equal(["v2-leaked", "v1"], await provider.GetAcceptedValuesAsync("job-runner-secret"));

        vault.Disable("job-runner-secret", 2);
        time.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(["v1", "v0"], await provider.GetAcceptedValuesAsync("job-runner-secret"));
    }

    [Fact]
    public async Task Concurrent_reads_of_a_due_secret_share_one_vault_call()
    {
        vault.Add("admin-token", "value");
        var provider = Provider(cacheSeconds: 60);
        vault.Hold();

        var readers = Enumerable.Range(0, 16).Select(_ => Task.Run(() => provider.GetAsync("admin-token").AsTask())).ToList();
        await Task.Delay(200);
        vault.Release();

        Assert.All(await Task.WhenAll(readers), v => Assert.Equal("value", v));
        await vault.Client.Received(1).GetSecretAsync("admin-token", null, Arg.Any<CancellationToken>());
    }
}
