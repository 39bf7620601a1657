using JobQueue.Database;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace JobQueue.Tests.Infrastructure;

/// <summary>
/// A fresh database on the local cluster with every migration applied, dropped at the end.
/// Use as an xunit class fixture, or create one per test with <see cref="CreateAsync"/>.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public string Name { get; } = "jq_t_" + Guid.NewGuid().ToString("N")[..12];

    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>An existing database (not created or dropped by this object).</summary>
    public static TestDatabase Wrap(string connectionString, NpgsqlDataSource dataSource) =>
        new() { ConnectionString = connectionString, DataSource = dataSource, owned = false };

    private bool owned = true;

    public static async Task<TestDatabase> CreateAsync()
    {
        var db = new TestDatabase();
        await db.InitializeAsync();
        return db;
    }

    public async Task InitializeAsync()
    {
        var server = new NpgsqlConnectionStringBuilder(LocalPostgres.ConnectionString);
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = Name }.ConnectionString;
        await new DatabaseMigrator(NullLogger<DatabaseMigrator>.Instance).MigrateAsync(ConnectionString);
        DataSource = JobQueueServiceCollectionExtensions.BuildDataSource(ConnectionString);
    }

    /// <summary>The library's services over this database; <paramref name="configure"/> adds handlers or replaces parts.</summary>
    public ServiceProvider BuildServices(Action<IServiceCollection>? configure = null, IDictionary<string, string?>? settings = null)
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [JobQueueServiceCollectionExtensions.ConnectionStringKey] = ConnectionString })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddSingleton(DataSource);
        services.AddJobQueue(config);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }

    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        await cmd.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (!owned)
        {
            return;
        }

        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }

        await using var admin = new NpgsqlConnection(LocalPostgres.ConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (attempt < 20 && e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
            {
                // a session of another role (privilege tests) is still closing
                await Task.Delay(100);
            }
        }
    }
}
