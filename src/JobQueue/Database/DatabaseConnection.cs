using Azure.Core;
using Azure.Identity;
using JobQueue.Secrets;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobQueue.Database;

/// <summary>
/// Where the PostgreSQL connection comes from: with <c>Database:UseEntraId</c>, the passwordless
/// <c>Database:ConnectionString</c> plus an Entra ID access token (refreshed by Npgsql's periodic
/// password provider); otherwise secret <c>database-connection-string</c> from the vault, or the
/// <c>Database:ConnectionString</c> setting when no vault is configured.
/// </summary>
public sealed class DatabaseConnection(
    IOptions<DatabaseOptions> options, IOptions<SecretOptions> secretOptions, ISecretProvider secrets, TokenCredential? credential = null)
{
    private static readonly TokenRequestContext EntraScope = new(["https://ossrdbms-aad.database.windows.net/.default"]);

    /// <summary>A connection string with a password (or token) in it: for the migrator. Never log it.</summary>
    public async Task<string> ResolveAsync(CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        if (o.UseEntraId)
        {
            var builder = new NpgsqlConnectionStringBuilder(Required(o.ConnectionString))
            {
                Password = (await Credential.GetTokenAsync(EntraScope, cancellationToken)).Token,
                SslMode = SslMode.Require,
            };
            return builder.ConnectionString;
        }

        return string.IsNullOrWhiteSpace(secretOptions.Value.VaultUri)
            ? Required(o.ConnectionString)
            : await secrets.GetAsync(SecretNames.DatabaseConnectionString, cancellationToken);
    }

    /// <summary>
    /// The connection string the migrations run with: <c>Database:MigrationConnectionString</c> (the
    /// schema owner) when set, else the app's own (a single-login setup). Never log it.
    /// </summary>
    public async Task<string> ResolveMigrationAsync(CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.MigrationConnectionString))
        {
            return await ResolveAsync(cancellationToken);
        }

        if (!o.UseEntraId)
        {
            return o.MigrationConnectionString;
        }

        return new NpgsqlConnectionStringBuilder(o.MigrationConnectionString)
        {
            Password = (await Credential.GetTokenAsync(EntraScope, cancellationToken)).Token,
            SslMode = SslMode.Require,
        }.ConnectionString;
    }

    /// <summary>The app's pooled data source.</summary>
    public NpgsqlDataSource BuildDataSource() => BuildDataSource(null);

    /// <summary>
    /// A pooled data source to <paramref name="database"/> on the app's server with the app's own
    /// credentials (vault, settings or Entra ID token); null = the app database.
    /// </summary>
    public NpgsqlDataSource BuildDataSource(string? database)
    {
        var o = options.Value;
        if (!o.UseEntraId)
        {
            var builder = JobQueueServiceCollectionExtensions.CreateDataSourceBuilder(OnDatabase(ResolveAsync().GetAwaiter().GetResult(), database));
            if (!string.IsNullOrWhiteSpace(secretOptions.Value.VaultUri))
            {
                // the password comes from the vault's current connection string each time a physical
                // connection opens (the secret provider caches it): a rotated password is picked up
                // without a restart. A new host, user or database still needs one.
                builder.ConnectionStringBuilder.Password = null;
                builder.UsePasswordProvider(
                    _ => PasswordFromVaultAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult(),
                    (_, ct) => PasswordFromVaultAsync(ct));
            }

            return builder.Build();
        }

        var entra = JobQueueServiceCollectionExtensions.CreateDataSourceBuilder(OnDatabase(Required(o.ConnectionString), database));
        entra.ConnectionStringBuilder.SslMode = SslMode.Require;
        entra.UsePeriodicPasswordProvider(
            async (_, ct) => (await Credential.GetTokenAsync(EntraScope, ct)).Token,
            TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(10));
        return entra.Build();
    }

    private async ValueTask<string> PasswordFromVaultAsync(CancellationToken cancellationToken) =>
        new NpgsqlConnectionStringBuilder(await secrets.GetAsync(SecretNames.DatabaseConnectionString, cancellationToken)).Password ?? "";

    /// <summary>The same connection string pointed at another database (null: unchanged).</summary>
    public static string OnDatabase(string connectionString, string? database) =>
        string.IsNullOrWhiteSpace(database)
            ? connectionString
            : new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    private TokenCredential Credential => credential ??= new DefaultAzureCredential();

    private static string Required(string? connectionString) =>
        string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException($"setting {DatabaseOptions.Section}:{nameof(DatabaseOptions.ConnectionString)} is missing")
            : connectionString;
}
