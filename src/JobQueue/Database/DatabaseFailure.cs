using System.Net.Sockets;
using Npgsql;

namespace JobQueue.Database;

/// <summary>
/// Which exceptions mean "the database is unavailable right now" (answered 503 with Retry-After,
/// retried with backoff, logged as one line without a stack trace) rather than a bug: a connection
/// that cannot be opened or was lost, a timeout, a server that is starting, shutting down or out of
/// connections, a login that is refused, and, until the schema is there, a missing schema or
/// function (see <see cref="IsSchemaMissing"/>).
/// </summary>
public static class DatabaseFailure
{
    /// <summary>True when <paramref name="e"/> (or an exception inside it) says the database cannot serve now.</summary>
    public static bool IsUnavailable(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case PostgresException pg:
                    return IsUnavailableState(pg.SqlState);
                case NpgsqlException { IsTransient: true }:
                case TimeoutException:
                case SocketException:
                case EndOfStreamException:
                    return true;
            }
        }

        return false;
    }

    /// <summary>Any error from the database or its driver (while the app is not ready, every one is a 503 "not ready").</summary>
    public static bool IsDatabaseError(Exception e) => Find<NpgsqlException>(e) is not null;

    /// <summary>
    /// The schema (or one of its functions) does not exist: the migrations have not run yet. A 503
    /// only while the app is not ready; once it is, the same error is a bug.
    /// </summary>
    public static bool IsSchemaMissing(Exception e) =>
        Find<PostgresException>(e)?.SqlState is PostgresErrorCodes.InvalidSchemaName or PostgresErrorCodes.UndefinedFunction
            or PostgresErrorCodes.UndefinedTable;

    /// <summary>
    /// What went wrong, for callers that may not see the details (readiness, problem details): the
    /// kind of failure only, never a host name, login or message text.
    /// </summary>
    public static string Summary(Exception e)
    {
        if (IsSchemaMissing(e))
        {
            return "the database schema is not migrated yet";
        }

        return Find<PostgresException>(e)?.SqlState switch
        {
            { } s when s.StartsWith("28", StringComparison.Ordinal) => "the database refused the app's login",
            PostgresErrorCodes.CannotConnectNow => "the database is starting up",
            PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown => "the database is shutting down",
            PostgresErrorCodes.TooManyConnections => "the database has no free connections",
            _ when IsUnavailable(e) => "the database cannot be reached",
            _ => $"the database start-up failed ({e.GetType().Name})",
        };
    }

    /// <summary>One line for a log: the error's type and message, and its innermost cause; never a connection string.</summary>
    public static string Describe(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        var text = inner == e || e.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{e.GetType().Name}: {e.Message}"
            : $"{e.GetType().Name}: {e.Message} ({inner.GetType().Name}: {inner.Message})";
        return text.Length > 500 ? text[..500] : text;
    }

    private static bool IsUnavailableState(string state) =>
        state.StartsWith("08", StringComparison.Ordinal)     // connection exception
        || state.StartsWith("28", StringComparison.Ordinal)  // the login is refused (password rotated, role dropped)
        || state.StartsWith("53", StringComparison.Ordinal)  // insufficient resources: too many connections, out of memory, disk full
        || state.StartsWith("57P", StringComparison.Ordinal) // admin/crash shutdown, cannot connect now (starting up), database dropped
        || state == PostgresErrorCodes.QueryCanceled;        // statement timeout, or cancelled by an administrator

    private static T? Find<T>(Exception e) where T : Exception
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is T found)
            {
                return found;
            }
        }

        return null;
    }
}
