using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace JobQueue.SqlJobs;

/// <summary>What a function returned: its rows as JSON (at most <see cref="SqlFunctionCaller.MaxResultRows"/>) and how many there were.</summary>
public sealed record SqlFunctionResult(IReadOnlyList<JsonElement> Rows, int RowCount, long DurationMs)
{
    /// <summary>One row's value as it is (a scalar function's result), else the rows as an array.</summary>
    public object? Value => RowCount == 1 ? Rows[0] : Rows;

    public bool Truncated => RowCount > Rows.Count;
}

/// <summary>A called function failed; <see cref="Retryable"/> says whether trying again later may help.</summary>
public sealed class SqlFunctionException(string message, bool retryable, Exception? inner = null) : Exception(message, inner)
{
    public bool Retryable { get; } = retryable;
}

/// <summary>
/// Calls one SQL function as the app's login: <c>SELECT to_jsonb(r) FROM "schema"."name"("arg" =&gt; $1, ...) r</c>
/// in a transaction with <c>statement_timeout</c> set for it. The SQL text holds only quoted
/// identifiers (the function's, checked against the allow-list by the caller, and the argument
/// names); every value is a parameter of unknown type, so that PostgreSQL converts it to the type the
/// function declares (as it does a quoted literal).
/// </summary>
public sealed class SqlFunctionCaller(NpgsqlDataSource dataSource, TimeProvider time)
{
    public const int MaxResultRows = 100;

    public async Task<SqlFunctionResult> CallAsync(
        SqlFunctionName function, IReadOnlyCollection<KeyValuePair<string, JsonElement>> args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var arguments = string.Join(", ", args.Select((a, i) => $"{SqlFunctionName.QuoteIdentifier(a.Key)} => ${i + 1}"));
        var sql = $"SELECT to_jsonb(r)::text FROM {function.Quoted}({arguments}) AS r";
        var started = time.GetTimestamp();
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var limit = new NpgsqlCommand("SELECT set_config('statement_timeout', $1, true)", connection, transaction))
            {
                limit.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) });
                await limit.ExecuteNonQueryAsync(cancellationToken);
            }

            var rows = new List<JsonElement>();
            var count = 0;
            await using (var call = new NpgsqlCommand(sql, connection, transaction))
            {
                call.CommandTimeout = (int)Math.Ceiling(timeout.TotalSeconds) + 30;
                foreach (var (_, value) in args)
                {
                    call.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Unknown, Value = (object?)Text(value) ?? DBNull.Value });
                }

                await using var reader = await call.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (++count <= MaxResultRows)
                    {
                        rows.Add(reader.IsDBNull(0) ? default : Parse(reader.GetString(0)));
                    }
                }
            }

            await transaction.CommitAsync(cancellationToken);
            return new SqlFunctionResult(rows, count, (long)time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (PostgresException e)
        {
            throw Classify(function, e, timeout);
        }
        catch (NpgsqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SqlFunctionException($"{function}: the database could not be reached ({e.Message})", retryable: true, e);
        }
    }

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    /// <summary>A JSON value as the text PostgreSQL parses: strings as they are, anything else as JSON.</summary>
    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };

    /// <summary>
    /// Errors the call itself caused (no such function, wrong arguments, no privilege, bad values) are
    /// permanent; timeouts, conflicts, lost connections and errors the function raised may pass.
    /// </summary>
    private static SqlFunctionException Classify(SqlFunctionName function, PostgresException e, TimeSpan timeout)
    {
        if (e.SqlState == PostgresErrorCodes.QueryCanceled)
        {
            return new SqlFunctionException($"{function}: statement timeout after {timeout.TotalSeconds:0.#} s", retryable: true, e);
        }

        var permanent = e.SqlState is PostgresErrorCodes.UndefinedFunction or PostgresErrorCodes.AmbiguousFunction
                or PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.InvalidSchemaName or PostgresErrorCodes.DatatypeMismatch
                or PostgresErrorCodes.SyntaxError or PostgresErrorCodes.UndefinedColumn
            || e.SqlState.StartsWith("22", StringComparison.Ordinal);
        return new SqlFunctionException($"{function}: {e.SqlState} {e.MessageText}", retryable: !permanent, e);
    }
}
