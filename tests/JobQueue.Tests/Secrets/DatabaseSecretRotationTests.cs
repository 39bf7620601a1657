using Azure.Security.KeyVault.Secrets;
using JobQueue.Queue;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace JobQueue.Tests.Secrets;

/// <summary>
/// The database connection string from Key Vault, rotated (a new password as a new secret version)
/// while the app runs: new connections use the new password once the secret cache has expired, with
/// no restart.
/// </summary>
public sealed class DatabaseSecretRotationTests : IAsyncLifetime
{
    private readonly string login = "jq_t_rot_" + Guid.NewGuid().ToString("N")[..8];
    private TestDatabase db = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync($"CREATE ROLE {login} LOGIN PASSWORD 'first-password' IN ROLE jobqueue_app");
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        await using var conn = new NpgsqlConnection(LocalPostgres.ConnectionString);
        await conn.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS {login}", conn);
        await drop.ExecuteNonQueryAsync();
    }

    private string ConnectionString(string password) =>
        new NpgsqlConnectionStringBuilder(db.ConnectionString) { Username = login, Password = password }.ConnectionString;

    [Fact]
    public async Task A_rotated_password_is_picked_up_without_a_restart_once_the_cache_expires()
    {
        var vault = new KeyVaultFake().Add("database-connection-string", ConnectionString("first-password"));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KeyVault:VaultUri"] = "https://vault.example/",
            ["KeyVault:CacheSeconds"] = "300",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddJobQueueWithEveryModule(config);
        services.Replace(ServiceDescriptor.Singleton<SecretClient>(vault.Client));
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
        await using var provider = services.BuildServiceProvider();
        var dataSource = provider.GetRequiredService<NpgsqlDataSource>();
        var store = provider.GetRequiredService<QueueSettingsStore>();
        Assert.True((await store.GetSettingsAsync()).ProcessingEnabled);

        // the rotation: the database gets a new password, the vault a new version of the secret
        await db.ExecuteAsync($"ALTER ROLE {login} PASSWORD 'second-password'");
        vault.Add("database-connection-string", ConnectionString("second-password"));
        dataSource.Clear();

        // within the cache time the old password is still used: a new connection is refused
        var refused = await Assert.ThrowsAsync<PostgresException>(() => store.GetSettingsAsync());
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);

        time.Advance(TimeSpan.FromSeconds(301));
        dataSource.Clear();
        Assert.True((await store.GetSettingsAsync()).ProcessingEnabled);
    }
}
