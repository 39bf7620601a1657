using System.Text.Json;
using System.Text.Json.Serialization;

namespace JobQueue.Runner;

/// <summary>
/// Base class for handlers with a typed payload: the JSON payload is deserialized (camelCase) and
/// validated; an invalid payload fails the job at once, without retries.
/// </summary>
public abstract class JobHandler<TPayload> : IJobHandler
    where TPayload : class, new()
{
    public static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
    };

    public abstract string TaskType { get; }

    public IReadOnlyList<PayloadError> ValidatePayload(JsonElement payload)
    {
        var (parsed, error) = TryParse(payload);
        return parsed is null ? [error!] : Validate(parsed).ToList();
    }

    public async Task<object?> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var (parsed, error) = TryParse(context.Payload);
        if (parsed is null)
        {
            throw new InvalidJobPayloadException([error!]);
        }

        var errors = Validate(parsed).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidJobPayloadException(errors);
        }

        return await HandleAsync(parsed, context, cancellationToken);
    }

    /// <summary>Field-level checks beyond the JSON types (ranges, formats).</summary>
    protected virtual IEnumerable<PayloadError> Validate(TPayload payload) => [];

    protected abstract Task<object?> HandleAsync(TPayload payload, JobContext context, CancellationToken cancellationToken);

    private static (TPayload? Payload, PayloadError? Error) TryParse(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return (null, new PayloadError("payload", "must be a JSON object"));
        }

        try
        {
            return (payload.Deserialize<TPayload>(PayloadJson) ?? new TPayload(), null);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "payload" : e.Path.TrimStart('$', '.');
            return (null, new PayloadError(field, "has the wrong type or format"));
        }
    }
}
