using Npgsql;

namespace JobQueue.Cutover;

/// <summary>
/// The owner's connections for one cut-over run: the app database, and pg_cron's database (the same
/// connection when pg_cron lives in the app database, as on Supabase; otherwise the database named by
/// <c>cron.database_name</c> with the same credentials, or the connection given for it). Each run is one
/// transaction per database, under an advisory lock so that two cut-overs never interleave; a dry run's
/// transactions are READ ONLY and rolled back. Connection strings are never logged or returned.
/// </summary>
public sealed class CutoverSession : IAsyncDisposable
{
    private NpgsqlTransaction? appTransaction;
    private NpgsqlTransaction? cronTransaction;

    private CutoverSession(NpgsqlConnection app, NpgsqlConnection? cron)
    {
        App = app;
        Cron = cron;
    }

    public NpgsqlConnection App { get; }

    /// <summary>pg_cron's database; <see cref="App"/> itself when pg_cron lives there; null when unreachable.</summary>
    public NpgsqlConnection? Cron { get; }

    public bool CronIsApp => ReferenceEquals(App, Cron);

    public static async Task<CutoverSession> OpenAsync(string ownerConnection, string? cronConnection, CancellationToken cancellationToken)
    {
        var app = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ownerConnection) { ApplicationName = "jobqueue-cutover" }.ConnectionString);
        await app.OpenAsync(cancellationToken);
        if (await LegacyDiscoverer.ScalarAsync<bool>(app, "SELECT to_regclass('cron.job') IS NOT NULL", cancellationToken))
        {
            return new CutoverSession(app, app);
        }

        var target = cronConnection;
        if (string.IsNullOrWhiteSpace(target))
        {
            string? name;
            try
            {
                name = await LegacyDiscoverer.ScalarAsync<string?>(app, "SELECT current_setting('cron.database_name', true)", cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                // only a superuser (or pg_read_all_settings) may read it: the caller names pg_cron's database instead
                name = null;
            }

            target = string.IsNullOrWhiteSpace(name) ? null : JobQueue.Database.DatabaseConnection.OnDatabase(ownerConnection, name);
        }

        if (target is null)
        {
            return new CutoverSession(app, null);
        }

        var cron = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(target) { ApplicationName = "jobqueue-cutover" }.ConnectionString);
        try
        {
            await cron.OpenAsync(cancellationToken);
            if (await LegacyDiscoverer.ScalarAsync<bool>(cron, "SELECT to_regclass('cron.job') IS NOT NULL", cancellationToken))
            {
                return new CutoverSession(app, cron);
            }
        }
        catch (NpgsqlException)
        {
            // not reachable with these credentials: the plan says no pg_cron job was read
        }

        await cron.DisposeAsync();
        return new CutoverSession(app, null);
    }

    /// <summary>Begins the transactions (READ ONLY for a dry run) and takes the cut-over's lock.</summary>
    public async Task BeginAsync(bool readOnly, CancellationToken cancellationToken)
    {
        appTransaction = await App.BeginTransactionAsync(cancellationToken);
        if (Cron is not null && !CronIsApp)
        {
            cronTransaction = await Cron.BeginTransactionAsync(cancellationToken);
        }

        if (readOnly)
        {
            await ExecuteAsync(App, "SET TRANSACTION READ ONLY", cancellationToken);
            if (cronTransaction is not null)
            {
                await ExecuteAsync(Cron!, "SET TRANSACTION READ ONLY", cancellationToken);
            }
        }

        await ExecuteAsync(App, "SELECT pg_advisory_xact_lock(hashtext('jobqueue.cutover'))", cancellationToken);
    }

    /// <summary>Commits the app database's transaction, then pg_cron's.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await appTransaction!.CommitAsync(cancellationToken);
        if (cronTransaction is not null)
        {
            await cronTransaction.CommitAsync(cancellationToken);
        }
    }

    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        if (appTransaction is { Connection: not null })
        {
            await appTransaction.RollbackAsync(cancellationToken);
        }

        if (cronTransaction is { Connection: not null })
        {
            await cronTransaction.RollbackAsync(cancellationToken);
        }
    }

    public static async Task<int> ExecuteAsync(NpgsqlConnection c, string sql, CancellationToken cancellationToken, params object?[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a ?? DBNull.Value });
        }

        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (cronTransaction is not null)
        {
            await cronTransaction.DisposeAsync();
        }

        if (appTransaction is not null)
        {
            await appTransaction.DisposeAsync();
        }

        if (Cron is not null && !CronIsApp)
        {
            await Cron.DisposeAsync();
        }

        await App.DisposeAsync();
    }
}
