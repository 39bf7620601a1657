using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// Typed, bounded reads of a JSON body's fields (case-insensitive names; null means absent), and of
/// query values. Every problem is collected under its field name; <see cref="Problem"/> is the 400.
/// </summary>
public sealed class RequestFields(JsonElement body)
{
    private readonly Dictionary<string, string[]> errors = new(StringComparer.Ordinal);

    public bool HasErrors => errors.Count > 0;

    /// <summary>The fields with a problem so far (the OpenAPI document's required fields are those an empty request lacks).</summary>
    public IEnumerable<string> FieldsInError => errors.Keys;

    public IResult Problem() => ApiProblems.Validation(errors);

    public void Error(string field, string reason) => errors.TryAdd(field, [reason]);

    public bool? Flag(string name)
    {
        var value = Find(name);
        switch (value?.ValueKind)
        {
            case null: return null;
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            default: Error(name, "must be true or false"); return null;
        }
    }

    public int? Number(string name, int min, int max)
    {
        var value = Find(name);
        if (value is null)
        {
            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetInt64(out var n))
        {
            Error(name, "must be an integer");
            return null;
        }

        return InRange(name, n, min, max);
    }

    public string? Text(string name, int maxLength, bool required = false)
    {
        var value = Find(name);
        if (value is null)
        {
            if (required)
            {
                Error(name, "is required");
            }

            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.String)
        {
            Error(name, "must be a string");
            return null;
        }

        string text;
        try
        {
            text = value.Value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            Error(name, "must not contain invalid Unicode escapes");
            return null;
        }

        return Bounded(name, text, maxLength);
    }

    /// <summary>A string, or an integer given as a JSON number (an id), as text.</summary>
    public string? TextOrInteger(string name, int maxLength)
    {
        if (Find(name) is not { ValueKind: JsonValueKind.Number } number)
        {
            return Text(name, maxLength);
        }

        if (number.TryGetInt64(out var n))
        {
            return n.ToString(CultureInfo.InvariantCulture);
        }

        Error(name, "must be a string or an integer");
        return null;
    }

    public DateTimeOffset? Timestamp(string name)
    {
        var value = Find(name);
        if (value is null)
        {
            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.String || !value.Value.TryGetDateTimeOffset(out var t))
        {
            Error(name, "must be an ISO 8601 timestamp with an offset, e.g. 2030-01-01T00:00:00Z");
            return null;
        }

        return t;
    }

    /// <summary>A JSON object of at most <paramref name="maxBytes"/> bytes.</summary>
    public JsonElement? ObjectValue(string name, int maxBytes)
    {
        var value = Find(name);
        if (value is null)
        {
            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.Object)
        {
            Error(name, "must be a JSON object");
            return null;
        }

        if (value.Value.GetRawText().Length > maxBytes)
        {
            Error(name, $"must be at most {maxBytes} bytes of JSON");
            return null;
        }

        string? problem;
        try
        {
            problem = StorableProblem(value.Value);
        }
        catch (InvalidOperationException)
        {
            problem = "must not contain invalid Unicode escapes";
        }

        if (problem is not null)
        {
            Error(name, problem);
            return null;
        }

        return value;
    }

    /// <summary>An optional integer query value.</summary>
    public int? QueryInt(IQueryCollection query, string name, int min, int max)
    {
        var raw = QueryString(query, name, 20);
        if (raw is null)
        {
            return null;
        }

        if (!long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            Error(name, "must be an integer");
            return null;
        }

        return InRange(name, n, min, max);
    }

    /// <summary>An optional query value (a repeated key is an error).</summary>
    public string? QueryString(IQueryCollection query, string name, int maxLength)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return null;
        }

        if (values.Count > 1)
        {
            Error(name, "must be given once");
            return null;
        }

        return Bounded(name, values[0]!, maxLength);
    }

    /// <summary>What PostgreSQL's jsonb would refuse: NUL characters, broken surrogates, numbers beyond a double.</summary>
    private static string? StorableProblem(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if ((StringProblem(property.Name) ?? StorableProblem(property.Value)) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(StorableProblem).FirstOrDefault(p => p is not null);
            case JsonValueKind.String:
                return StringProblem(element.GetString()!);

            case JsonValueKind.Number:
                return element.GetRawText().Length <= 100 && double.IsFinite(element.GetDouble()) ? null : "must not contain numbers beyond the range of a double";
            default:
                return null;
        }
    }

    private static string? StringProblem(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            return "must not contain NUL characters (\\u0000)";
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return "must not contain unpaired Unicode surrogates";
            }
        }

        return null;
    }

    private int? InRange(string name, long n, int min, int max)
    {
        if (n < min || n > max)
        {
            Error(name, $"must be between {min} and {max}");
            return null;
        }

        return (int)n;
    }

    private string? Bounded(string name, string value, int maxLength)
    {
        if (value.Length == 0 || value.Length > maxLength)
        {
            Error(name, $"must be 1 to {maxLength} characters");
            return null;
        }

        if (value.Any(char.IsControl))
        {
            Error(name, "must not contain control characters");
            return null;
        }

        if (StringProblem(value) is { } problem)
        {
            Error(name, problem);
            return null;
        }

        return value;
    }

    private static string SafeName(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return "";
        }
    }

    private JsonElement? Find(string name)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in body.EnumerateObject())
        {
            if (SafeName(property).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind == JsonValueKind.Null ? null : property.Value;
            }
        }

        return null;
    }
}
