using Azure.Identity;
using JobQueue.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace JobQueue.Tests.Telemetry;

/// <summary>
/// The hosts' shared OpenTelemetry wiring: nothing at all without APPLICATIONINSIGHTS_CONNECTION_STRING;
/// with it, tracing and metrics providers and the host's own part; the Entra ID credential from
/// APPLICATIONINSIGHTS_AUTHENTICATION_STRING. (Nothing here builds the exporter: it would send.)
/// </summary>
public sealed class TelemetryWiringTests
{
    [Fact]
    public void Without_a_connection_string_nothing_is_registered()
    {
        var services = new ServiceCollection();
        var hostPartCalled = false;
        services.AddJobQueueOpenTelemetry(Config(new()), _ => hostPartCalled = true);

        Assert.Empty(services);
        Assert.False(hostPartCalled);
    }

    [Fact]
    public void With_a_connection_string_tracing_metrics_and_the_host_part_are_registered()
    {
        var services = new ServiceCollection();
        var hostPartCalled = false;
        services.AddJobQueueOpenTelemetry(
            Config(new() { [JobQueueOpenTelemetryExtensions.ConnectionStringKey] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/" }),
            _ => hostPartCalled = true);

        Assert.True(hostPartCalled);
        Assert.Contains(services, d => d.ServiceType == typeof(TracerProvider));
        Assert.Contains(services, d => d.ServiceType == typeof(MeterProvider));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("InstrumentationKey=abc")]
    [InlineData("Authorization=Key;ClientId=00000000-0000-0000-0000-000000000001")]
    public void Without_Authorization_AAD_there_is_no_credential(string? authenticationString) =>
        Assert.Null(AzureMonitorCredential.FromAuthenticationString(authenticationString));

    [Theory]
    [InlineData("ClientId=00000000-0000-0000-0000-000000000001;Authorization=AAD")]
    [InlineData("authorization=aad")]
    [InlineData(" Authorization = AAD ; ClientId = 00000000-0000-0000-0000-000000000001 ")]
    public void Authorization_AAD_gives_a_managed_identity_credential(string authenticationString) =>
        Assert.IsType<ManagedIdentityCredential>(AzureMonitorCredential.FromAuthenticationString(authenticationString));

    private static IConfiguration Config(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
