using Npgsql;

namespace JobQueue.Queue;

/// <summary>
/// A dedicated connection LISTENing on <see cref="Channel"/>, where the queue notifies idle runners
/// of new due jobs (jobqueue.job_queue_wake_idle_runners,
/// Database/Schema/functions/runner/job_queue_wake_idle_runners.sql). Connects lazily; a lost
/// connection is reported as "not woken"
/// and reopened on the next wait, so a caller that also polls never depends on it.
/// </summary>
public sealed class JobWakeListener(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public const string Channel = "job_queue";

    private NpgsqlConnection? _connection;

    /// <summary>Opens the connection and LISTENs, if not done yet; false when the database is unreachable.</summary>
    public async Task<bool> EnsureListeningAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: System.Data.ConnectionState.Open })
        {
            return true;
        }

        await DropAsync();
        try
        {
            _connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var listen = new NpgsqlCommand("LISTEN " + Channel, _connection);
            await listen.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await DropAsync();
            return false;
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for a notification (one that arrived since the last wait
    /// counts at once); true when woken. Not listening, or the connection lost: sleeps the whole
    /// timeout and returns false, so that a polling caller keeps its pace.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_connection is { State: System.Data.ConnectionState.Open } connection)
        {
            var started = TimeProvider.System.GetTimestamp();
            try
            {
                return await connection.WaitAsync(timeout, cancellationToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                await DropAsync();
                timeout -= TimeProvider.System.GetElapsedTime(started);
            }
        }

        if (timeout > TimeSpan.Zero)
        {
            await Task.Delay(timeout, cancellationToken);
        }

        return false;
    }

    public ValueTask DisposeAsync() => DropAsync();

    private async ValueTask DropAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }
}
