using System.Text.Json;

namespace JobQueue.Runner;

/// <summary>
/// Runs the jobs of one task type. Implement <see cref="JobHandler{TPayload}"/> rather than this
/// interface: it deserializes and validates the payload.
/// </summary>
public interface IJobHandler
{
    /// <summary>The <c>task_type</c> this handler runs.</summary>
    string TaskType { get; }

    /// <summary>Problems with a payload, empty when it is valid (used before enqueueing and before running).</summary>
    IReadOnlyList<PayloadError> ValidatePayload(JsonElement payload);

    /// <summary>Runs one attempt. The returned value (may be null) is stored as the job's output.</summary>
    Task<object?> ExecuteAsync(JobContext context, CancellationToken cancellationToken);
}

/// <summary>A payload problem: the JSON field (camelCase) and the reason.</summary>
public sealed record PayloadError(string Field, string Reason);
