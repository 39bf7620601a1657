using JobQueue.Tests.Infrastructure;
using Npgsql;

namespace JobQueue.Tests.Database;

/// <summary>A new empty database on the local cluster, owned by the schema owner, dropped afterwards.</summary>
public static class EmptyDatabase
{
    /// <summary>Runs <paramref name="test"/> with the new database's connection string (the owner's, unpooled).</summary>
    public static async Task WithAsync(Func<string, Task> test)
    {
        var name = "jq_t_mig_" + Guid.NewGuid().ToString("N")[..8];
        await using var admin = new NpgsqlConnection(LocalPostgres.ConnectionString);
        await admin.OpenAsync();
        await new NpgsqlCommand($"CREATE DATABASE {name}", admin).ExecuteNonQueryAsync();
        var cs = new NpgsqlConnectionStringBuilder(LocalPostgres.ConnectionString) { Database = name, Pooling = false }.ConnectionString;
        try
        {
            await test(cs);
        }
        finally
        {
            await LocalPostgres.DropDatabaseAsync(admin, name);
        }
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params object[] parameters)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
