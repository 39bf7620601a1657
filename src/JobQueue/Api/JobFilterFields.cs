using System.Globalization;
using JobQueue.Queue;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// Reads a <see cref="JobFilter"/> (<c>status, taskType, createdAfter, createdBefore, q</c>) from the
/// query string (the list) or from a JSON body (the bulk actions), with the same rules; problems are
/// collected under the field's name.
/// </summary>
public static class JobFilterFields
{
    public static JobFilter FromQuery(RequestFields fields, IQueryCollection query) => Checked(fields, new JobFilter(
        fields.QueryString(query, "status", 20),
        fields.QueryString(query, "taskType", ApiLimits.MaxTaskTypeLength),
        QueryTimestamp(fields, query, "createdAfter"),
        QueryTimestamp(fields, query, "createdBefore"),
        fields.QueryString(query, "q", JobFilter.MaxPayloadTextLength)));

    public static JobFilter FromBody(RequestFields fields) => Checked(fields, new JobFilter(
        fields.Text("status", 20),
        fields.Text("taskType", ApiLimits.MaxTaskTypeLength),
        fields.Timestamp("createdAfter"),
        fields.Timestamp("createdBefore"),
        fields.Text("q", JobFilter.MaxPayloadTextLength)));

    private static JobFilter Checked(RequestFields fields, JobFilter filter)
    {
        if (filter.Status is not null && !JobStatus.IsValid(filter.Status))
        {
            fields.Error("status", "must be one of " + string.Join(", ", JobStatus.All));
        }

        if (filter.CreatedAfter is { } after && filter.CreatedBefore is { } before && after >= before)
        {
            fields.Error("createdBefore", "must be later than createdAfter");
        }

        return filter;
    }

    private static DateTimeOffset? QueryTimestamp(RequestFields fields, IQueryCollection query, string name)
    {
        var text = fields.QueryString(query, name, 40);
        if (text is null)
        {
            return null;
        }

        // an offset is required (Z or +hh:mm): a time without one would mean something else on each server
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            && (text.EndsWith('Z') || text.EndsWith('z') || text.LastIndexOfAny(['+', '-']) > 10))
        {
            return value;
        }

        fields.Error(name, "must be an ISO 8601 timestamp with an offset, e.g. 2030-01-01T00:00:00Z");
        return null;
    }
}
