using JobQueue.Settings;
using JobQueue.SqlJobs;
using Polly;
using Polly.Retry;

namespace JobQueue.Pipelines;

/// <summary>A configured step, checked: its function name parsed, its tags split.</summary>
public sealed record StatsStep(string Name, SqlFunctionName Function, IReadOnlyList<string> CacheTags);

/// <summary>What one step did, as the job's output lists it.</summary>
public sealed record StatsStepResult(
    string Name, string Function, bool Success, int Attempts, long DurationMs, string? Error,
    IReadOnlyList<string> CacheTags, DateTimeOffset StartedAt, DateTimeOffset FinishedAt);

/// <summary>
/// Runs the pipeline's steps, independent of each other, at most <see cref="StatsUpdateOptions.MaxParallelism"/>
/// at a time; each step gets <see cref="StatsUpdateOptions.StepAttempts"/> attempts (Polly retry,
/// exponential backoff with jitter) for errors that may pass (timeouts, errors the function raised).
/// A step that fails for good is recorded and does not stop the others.
/// </summary>
public sealed class StatsUpdateSteps(SqlFunctionCaller caller, TimeProvider time)
{
    /// <summary>The configured steps; a step whose function is not a <c>schema.name</c> identifier is reported, not run.</summary>
    public static (IReadOnlyList<StatsStep> Steps, IReadOnlyList<string> Problems) Read(StatsUpdateOptions options)
    {
        var steps = new List<StatsStep>();
        var problems = new List<string>();
        foreach (var (step, i) in options.Steps.Select((s, i) => (s, i)))
        {
            var name = string.IsNullOrWhiteSpace(step.Name) ? $"step{i}" : step.Name;
            if (SqlFunctionName.Parse(step.Function) is { } function)
            {
                steps.Add(new StatsStep(name, function, step.CacheTags.SelectMany(ListSetting.Split).Distinct(StringComparer.Ordinal).ToList()));
            }
            else
            {
                problems.Add($"Pipelines:StatsUpdate:Steps:{i}:Function of step {name} is not schema.name");
            }
        }

        return (steps, problems);
    }

    public async Task<IReadOnlyList<StatsStepResult>> RunAsync(IReadOnlyList<StatsStep> steps, StatsUpdateOptions options, CancellationToken cancellationToken)
    {
        var retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(0, options.StepAttempts - 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(Math.Max(0, options.StepRetryDelaySeconds)),
                ShouldHandle = new PredicateBuilder().Handle<SqlFunctionException>(e => e.Retryable),
            })
            .Build();
        var timeout = TimeSpan.FromSeconds(Math.Max(1, options.StepTimeoutSeconds));
        var results = new StatsStepResult[steps.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, steps.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism), CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await RunStepAsync(steps[i], retry, timeout, ct));
        return results;
    }

    private async Task<StatsStepResult> RunStepAsync(StatsStep step, ResiliencePipeline retry, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var attempts = 0;
        string? error = null;
        try
        {
            await retry.ExecuteAsync(async ct =>
            {
                Interlocked.Increment(ref attempts);
                await caller.CallAsync(step.Function, [], timeout, ct);
            }, cancellationToken);
        }
        catch (SqlFunctionException e)
        {
            error = e.Message;
        }

        return new StatsStepResult(
            step.Name, step.Function.ToString(), error is null, attempts, (long)time.GetElapsedTime(started).TotalMilliseconds, error,
            step.CacheTags, startedAt, time.GetUtcNow());
    }
}
