using Npgsql;

namespace JobQueue.Benchmarks;

/// <summary>
/// A connection that holds a snapshot open (REPEATABLE READ, one read) while a drain runs: the xmin
/// horizon of the database stays where it was, so no row version that the drain makes dead can be
/// removed (by vacuum or by index scans marking entries dead) until it ends, as with a long report, a
/// forgotten "idle in transaction" session or pg_dump.
/// </summary>
public sealed class HeldHorizon : IAsyncDisposable
{
    private string _connectionString = "";
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;

    /// <summary>Transactions the horizon lagged behind when it was released (proof that it was held).</summary>
    public long HeldBackXids { get; private set; }

    /// <summary>Dead row versions in job_queue when the horizon was released (the statistics' estimate).</summary>
    public long DeadRows { get; private set; }

    public async Task HoldAsync(string connectionString)
    {
        _connectionString = connectionString;
        _connection = new NpgsqlConnection(connectionString);
        await _connection.OpenAsync();
        _transaction = await _connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM jobqueue.job_queue_settings", _connection, _transaction);
        await cmd.ExecuteScalarAsync();
    }

    public async Task ReleaseAsync()
    {
        if (_connection is null || _transaction is null)
        {
            return;
        }

        // read from another session: this one's own snapshot would not see the drain
        try
        {
            await using var other = new NpgsqlConnection(_connectionString);
            await other.OpenAsync();
            await using var cmd = new NpgsqlCommand(
                "SELECT (SELECT age(backend_xmin) FROM pg_stat_activity WHERE pid = $1), " +
                "(SELECT n_dead_tup FROM pg_stat_user_tables WHERE schemaname = 'jobqueue' AND relname = 'job_queue')", other);
            cmd.Parameters.AddWithValue(_connection.ProcessID);
            await using var reader = await cmd.ExecuteReaderAsync();
            await reader.ReadAsync();
            HeldBackXids = reader.IsDBNull(0) ? 0 : reader.GetInt32(0);
            DeadRows = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
        }
        finally
        {
            await _transaction.CommitAsync();
            await DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
            _transaction = null;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }
}
