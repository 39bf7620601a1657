using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using JobQueue.Runner;

namespace JobQueue.Cron;

/// <summary>The fields of a create request as they arrive (the API binds JSON to this).</summary>
public sealed record CreateCronJobRequest(string? JobName, string? Schedule, string? TaskType, JsonElement? Payload, int? MaxAttempts, int? Priority = null);

/// <summary>
/// Checks cron admin requests before anything reaches pg_cron; each problem names the request field
/// (camelCase) and the reason. The SQL wrappers check the same bounds again.
/// </summary>
public sealed partial class CronJobRequestValidator(JobHandlerRegistry handlers)
{
    /// <summary>pg_cron stores names as <c>name</c> (63 bytes).</summary>
    public const int MaxNameLength = 63;

    public const int MaxPayloadBytes = 16384;

    public const int MaxAttemptsLimit = 100;

    public static PayloadError? CheckName(string? jobName)
    {
        if (string.IsNullOrEmpty(jobName))
        {
            return new PayloadError("jobName", "is required");
        }

        if (jobName.Length > MaxNameLength)
        {
            return new PayloadError("jobName", $"must be at most {MaxNameLength} characters");
        }

        return NamePattern().IsMatch(jobName)
            ? null
            : new PayloadError("jobName", "may contain only letters, digits, '_', '.' and '-', and must start with a letter or digit");
    }

    public static PayloadError? CheckSchedule(string? schedule, out string normalized) =>
        CronScheduleValidator.Validate(schedule, out normalized) is { } reason ? new PayloadError("schedule", reason) : null;

    /// <summary>All problems of a create request; when there are none, <paramref name="definition"/> is what to store.</summary>
    public IReadOnlyList<PayloadError> ValidateCreate(CreateCronJobRequest request, out CronJobDefinition? definition)
    {
        definition = null;
        var errors = new List<PayloadError>();
        if (CheckName(request.JobName) is { } nameError)
        {
            errors.Add(nameError);
        }

        if (CheckSchedule(request.Schedule, out var schedule) is { } scheduleError)
        {
            errors.Add(scheduleError);
        }

        IJobHandler? handler = null;
        if (string.IsNullOrEmpty(request.TaskType))
        {
            errors.Add(new PayloadError("taskType", "is required"));
        }
        else if (!handlers.TryGet(request.TaskType, out handler))
        {
            errors.Add(new PayloadError("taskType",
                $"is not a registered task type (registered: {string.Join(", ", handlers.TaskTypes.Order(StringComparer.Ordinal))})"));
        }

        var payloadJson = "{}";
        if (request.Payload is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } payload)
        {
            if (payload.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new PayloadError("payload", "must be a JSON object"));
            }
            else
            {
                payloadJson = payload.GetRawText();
                if (Encoding.UTF8.GetByteCount(payloadJson) > MaxPayloadBytes)
                {
                    errors.Add(new PayloadError("payload", $"must be at most {MaxPayloadBytes} bytes of JSON"));
                }
                else if (handler is not null)
                {
                    errors.AddRange(handlers.ValidatePayload(request.TaskType!, payload)
                        .Select(e => e.Field == "payload" ? e : e with { Field = "payload." + e.Field }));
                }
            }
        }

        var maxAttempts = request.MaxAttempts ?? 3;
        if (maxAttempts is < 1 or > MaxAttemptsLimit)
        {
            errors.Add(new PayloadError("maxAttempts", $"must be between 1 and {MaxAttemptsLimit}"));
        }

        if (errors.Count == 0)
        {
            definition = new CronJobDefinition(request.JobName!, schedule, request.TaskType!, payloadJson, maxAttempts, Priority: request.Priority ?? 0);
        }

        return errors;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
