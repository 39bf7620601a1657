using Azure.Core;
using JobQueue.Database;
using JobQueue.Secrets;
using Microsoft.Extensions.Options;
using Npgsql;
using NSubstitute;

namespace JobQueue.Tests.Database;

public sealed class DatabaseConnectionTests
{
    private static readonly ISecretProvider NoSecrets = Substitute.For<ISecretProvider>();

    [Fact]
    public async Task Entra_id_uses_a_token_for_azure_postgresql_as_the_password()
    {
        var credential = Substitute.For<TokenCredential>();
        credential.GetTokenAsync(Arg.Any<TokenRequestContext>(), Arg.Any<CancellationToken>())
            .Returns(new AccessToken("entra-token", DateTimeOffset.UtcNow.AddHours(1)));
        var connection = new DatabaseConnection(
            Options.Create(new DatabaseOptions { UseEntraId = true, ConnectionString = "Host=pg.example;Database=jobqueue;Username=app-identity" }),
            Options.Create(new SecretOptions()), NoSecrets, credential);

        var resolved = new NpgsqlConnectionStringBuilder(await connection.ResolveAsync());

        Assert.Equal("entra-token", resolved.Password);
        Assert.Equal(SslMode.Require, resolved.SslMode);
        await credential.Received().GetTokenAsync(
            Arg.Is<TokenRequestContext>(c => c.Scopes.Single() == "https://ossrdbms-aad.database.windows.net/.default"), Arg.Any<CancellationToken>());
        await using var dataSource = connection.BuildDataSource();
        Assert.DoesNotContain("entra-token", dataSource.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_vault_the_connection_string_is_the_vault_secret_and_without_one_the_setting()
    {
        var secrets = Substitute.For<ISecretProvider>();
        secrets.GetAsync(SecretNames.DatabaseConnectionString, Arg.Any<CancellationToken>()).Returns("Host=from-vault");
        var withVault = new DatabaseConnection(
            Options.Create(new DatabaseOptions { ConnectionString = "Host=from-settings" }),
            Options.Create(new SecretOptions { VaultUri = "https://vault.example/" }), secrets);
        var withoutVault = new DatabaseConnection(
            Options.Create(new DatabaseOptions { ConnectionString = "Host=from-settings" }), Options.Create(new SecretOptions()), secrets);

        Assert.Equal("Host=from-vault", await withVault.ResolveAsync());
        Assert.Equal("Host=from-settings", await withoutVault.ResolveAsync());
    }
}
