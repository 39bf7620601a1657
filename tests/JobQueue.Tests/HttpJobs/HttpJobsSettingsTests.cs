using JobQueue.HttpJobs;
using JobQueue.Tests.Api;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JobQueue.Tests.HttpJobs;

/// <summary>
/// The HttpJobs settings a host refuses to start with (a wildcard over a shared multi-tenant suffix
/// unless acknowledged, then a warning naming it; secret destinations that are not destinations, or
/// that name one of the app's own secrets), how destinations match, and the redactor's encoded forms.
/// </summary>
public sealed class HttpJobsSettingsTests
{
    [Theory]
    [InlineData("*.supabase.co", true)]
    [InlineData("*.SUPABASE.co.", true)]
    [InlineData("*.functions.supabase.co", true)]
    [InlineData("*.azurewebsites.net", true)]
    [InlineData("*.blob.core.windows.net", true)]
    [InlineData("*.vercel.app", true)]
    [InlineData("*.amazonaws.com", true)]
    [InlineData("*.com", true)]
    [InlineData("*.example.com", false)]
    [InlineData("*.notsupabase.co", false)]
    [InlineData("abcd.supabase.co", false)]
    public void Shared_suffix_wildcards_are_recognised(string entry, bool shared) => Assert.Equal(shared, SharedSuffixes.IsShared(entry));

    [Fact]
    public void Options_with_a_shared_wildcard_or_a_bad_destination_fail_validation_naming_each_entry()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Options(new()
        {
            ["HttpJobs:AllowedHosts"] = "api.example.com, *.supabase.co, *.vercel.app",
            ["HttpJobs:SecretDestinations:admin-token-previous"] = "api.example.com",
            ["HttpJobs:SecretDestinations:stats-cache-invalidation-token"] = "api.example.com",
            ["HttpJobs:SecretDestinations:service-role-key"] = "*.example.com, ftp://api.example.com/, api.example.com",
        }));
        var message = string.Join("\n", failure.Failures);
        Assert.Contains("*.supabase.co, *.vercel.app are wildcards over a shared multi-tenant suffix", message, StringComparison.Ordinal);
        Assert.Contains("HttpJobs:AllowSharedSuffixWildcards=true", message, StringComparison.Ordinal);
        Assert.Contains("HttpJobs:SecretDestinations:admin-token-previous: 'admin-token-previous' is one of the app's own secrets", message, StringComparison.Ordinal);
        Assert.Contains("HttpJobs:SecretDestinations:stats-cache-invalidation-token:", message, StringComparison.Ordinal);
        Assert.Contains("'*.example.com': a secret's destinations are exact hosts", message, StringComparison.Ordinal);
        Assert.Contains("'ftp://api.example.com/' is not a host", message, StringComparison.Ordinal);

        var acknowledged = Options(new() { ["HttpJobs:AllowedHosts"] = "*.supabase.co", ["HttpJobs:AllowSharedSuffixWildcards"] = "true" });
        Assert.True(acknowledged.AllowSharedSuffixWildcards);
    }

    [Fact]
    public async Task The_server_does_not_start_with_a_shared_wildcard_and_warns_when_it_is_acknowledged()
    {
        var db = await TestDatabase.CreateAsync();
        try
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() =>
                ApiTestServer.StartAsync(db, settings: new Dictionary<string, string?> { ["HttpJobs:AllowedHosts"] = "*.supabase.co" }));
            Assert.Contains("*.supabase.co is a wildcard over a shared multi-tenant suffix", refused.ToString(), StringComparison.Ordinal);

            using var logs = new CapturingLoggerProvider();
            await using var api = await ApiTestServer.StartAsync(db, settings: new Dictionary<string, string?>
            {
                ["HttpJobs:AllowedHosts"] = "*.supabase.co, api.example.com",
                ["HttpJobs:AllowSharedSuffixWildcards"] = "true",
            }, logs: logs);
            Assert.Contains(logs.Lines, l => l.Contains("[2004]", StringComparison.Ordinal) && l.Contains("*.supabase.co", StringComparison.Ordinal));
            Assert.Null(api.Services.GetRequiredService<HttpTargetPolicy>().Check(new Uri("https://abcd.supabase.co/functions/v1/x")));
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("abcd.supabase.co", "https://abcd.supabase.co/anything?x=1", true)]
    [InlineData("abcd.supabase.co", "http://ABCD.supabase.co.:8080/", true)]
    [InlineData("abcd.supabase.co", "https://efgh.supabase.co/", false)]
    [InlineData("abcd.supabase.co", "https://x.abcd.supabase.co/", false)]
    [InlineData("https://abcd.supabase.co/functions/v1/", "https://abcd.supabase.co/functions/v1/daily", true)]
    [InlineData("https://abcd.supabase.co/functions/v1/", "https://abcd.supabase.co/functions/v10/daily", false)]
    [InlineData("https://abcd.supabase.co/functions/v1/", "https://abcd.supabase.co/functions/v1/../../rest/v1/users", false)]
    [InlineData("https://abcd.supabase.co/functions/v1/", "https://abcd.supabase.co/functions/v1/..%2F..%2Frest", false)]
    [InlineData("https://abcd.supabase.co/functions/v1/", "http://abcd.supabase.co/functions/v1/daily", false)]
    [InlineData("https://abcd.supabase.co/functions/v1/", "https://abcd.supabase.co:8443/functions/v1/daily", false)]
    [InlineData("https://abcd.supabase.co/hooks/invoices", "https://abcd.supabase.co/hooks/invoices", true)]
    [InlineData("https://abcd.supabase.co/hooks/invoices", "https://abcd.supabase.co/hooks/invoices/monthly", true)]
    [InlineData("https://abcd.supabase.co/hooks/invoices", "https://abcd.supabase.co/hooks/invoices-old", false)]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5000/x", true)]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5001/x", false)]
    [InlineData("[::1]", "http://[::1]:5001/x", true)]
    public void A_destination_allows_its_host_scheme_port_and_path_prefix_only(string entry, string url, bool allowed)
    {
        var (destination, problem) = SecretDestination.Parse(entry);
        Assert.True(destination is not null, problem);
        Assert.Equal(allowed, destination.Allows(new Uri(url)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bearer ")]
    [InlineData("prefix-x")]
    [InlineData("ab")]
    public void Every_encoded_form_of_a_secret_is_redacted_wherever_it_sits(string before)
    {
        const string secret = "sk+live/ECHO=4f9a 8b7c&6d5e<q>";
        var redactor = new SecretRedactor();
        redactor.Add(secret);
        foreach (var form in new[] { "", "base64", "base64url", "url", "hex", "hexlower", "reversed", "json" })
        {
            var echoed = HttpReceiver.Encode(before + secret + " and after", form);
            var redacted = redactor.Redact("<<" + echoed + ">>");
            Assert.Contains(SecretRedactor.Mask, redacted, StringComparison.Ordinal);
            foreach (var piece in SecretPieces(before, secret, form, echoed))
            {
                Assert.DoesNotContain(piece, redacted, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>
    /// What of <paramref name="echoed"/> carries the secret alone: the encoded secret, or for base64 every
    /// 8 characters of those that only the secret's bits decide (at whatever offset it starts).
    /// </summary>
    private static IEnumerable<string> SecretPieces(string before, string secret, string form, string echoed)
    {
        if (!form.StartsWith("base64", StringComparison.Ordinal))
        {
            return [HttpReceiver.Encode(secret, form)];
        }

        var offset = System.Text.Encoding.UTF8.GetByteCount(before);
        var first = (8 * offset + 5) / 6;
        var end = 8 * (offset + System.Text.Encoding.UTF8.GetByteCount(secret)) / 6;
        return Enumerable.Range(first, end - first - 7).Select(i => echoed.Substring(i, 8));
    }

    private static HttpJobsOptions Options(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(config).AddJobQueueWithEveryModule(config).BuildServiceProvider();
        return services.GetRequiredService<IOptions<HttpJobsOptions>>().Value;
    }
}
