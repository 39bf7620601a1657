namespace JobQueue.Queue;

/// <summary>
/// Which jobs a list page or a bulk action is about: status, task type, creation time
/// (<c>CreatedAfter</c> inclusive, <c>CreatedBefore</c> exclusive) and a text the payload contains
/// (case-insensitive). Null means no condition.
/// </summary>
public sealed record JobFilter(
    string? Status = null,
    string? TaskType = null,
    DateTimeOffset? CreatedAfter = null,
    DateTimeOffset? CreatedBefore = null,
    string? PayloadText = null)
{
    /// <summary>Longest payload text searched for.</summary>
    public const int MaxPayloadTextLength = 200;

    /// <summary>"status = failed, taskType = x" (for the audit log); "every job" without conditions.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                parts.Add($"{name} = {(value is DateTimeOffset t ? t.UtcDateTime.ToString("O") : value)}");
            }
        }

        Add("status", Status);
        Add("taskType", TaskType);
        Add("createdAfter", CreatedAfter);
        Add("createdBefore", CreatedBefore);
        Add("q", PayloadText);
        return parts.Count == 0 ? "every job" : string.Join(", ", parts);
    }
}
