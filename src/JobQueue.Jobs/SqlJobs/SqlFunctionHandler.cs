using System.Text.Json;
using JobQueue.Runner;
using Microsoft.Extensions.Options;

namespace JobQueue.SqlJobs;

/// <summary>Payload of <c>sql_function</c>: <c>{function, args (named arguments), timeoutSeconds (default 60)}</c>.</summary>
public sealed class SqlFunctionPayload
{
    public string? Function { get; set; }

    public Dictionary<string, JsonElement>? Args { get; set; }

    public int TimeoutSeconds { get; set; } = 60;
}

/// <summary>
/// <c>sql_function</c>: calls a function of <c>SqlJobs:AllowedFunctions</c> with named arguments under
/// a statement timeout (<see cref="SqlFunctionCaller"/>); output <c>{function, durationMs, rowCount,
/// result, truncated}</c>. A function outside the list is refused when the job is created and fails it
/// for good when it runs (it is never called). Errors the call caused fail the job for good; a
/// timeout or an error the function raised is retried with the queue's backoff.
/// </summary>
public sealed class SqlFunctionHandler(SqlFunctionAllowList allowList, SqlFunctionCaller caller, IOptions<RunnerOptions> runner)
    : JobHandler<SqlFunctionPayload>
{
    public const string Name = "sql_function";
    public const int MaxArgs = 50;

    public override string TaskType => Name;

    private int TimeoutLimit => Math.Max(1, runner.Value.TimeBudgetSeconds);

    protected override IEnumerable<PayloadError> Validate(SqlFunctionPayload payload)
    {
        if (allowList.Find(payload.Function).Problem is { } problem)
        {
            yield return new PayloadError("function", problem);
        }

        if (payload.Args is { Count: > MaxArgs })
        {
            yield return new PayloadError("args", $"must have at most {MaxArgs} arguments");
        }

        foreach (var name in (payload.Args?.Keys ?? Enumerable.Empty<string>()).Where(n => !SqlFunctionName.IsIdentifier(n)))
        {
            yield return new PayloadError("args." + name, "is not an argument name (letters, digits and '_', at most 63)");
        }

        if (payload.TimeoutSeconds < 1 || payload.TimeoutSeconds > TimeoutLimit)
        {
            yield return new PayloadError("timeoutSeconds", $"must be between 1 and {TimeoutLimit} (the runner's time budget, Runner:TimeBudgetSeconds)");
        }
    }

    protected override async Task<object?> HandleAsync(SqlFunctionPayload payload, JobContext context, CancellationToken cancellationToken)
    {
        var function = allowList.Find(payload.Function).Function!;
        try
        {
            var result = await caller.CallAsync(
                function, (IReadOnlyCollection<KeyValuePair<string, JsonElement>>?)payload.Args ?? [], TimeSpan.FromSeconds(payload.TimeoutSeconds), cancellationToken);
            return new
            {
                function = function.ToString(),
                result.DurationMs,
                result.RowCount,
                result = result.Value,
                result.Truncated,
            };
        }
        catch (SqlFunctionException e) when (!e.Retryable)
        {
            throw new PermanentJobException(e.Message, e);
        }
    }
}
