using System.Text.Json;

namespace JobQueue.HttpJobs;

/// <summary>
/// Payload of <c>http_request</c>: <c>{method (default POST), url, headers, body (JSON),
/// timeoutSeconds (default 30, the whole attempt), successStatus (default "2xx"), idempotencyKey, keepBody}</c>.
/// A header value is a string or a secret reference <c>{"secret": "name", "format": "Bearer {0}"}</c>,
/// resolved when the job runs.
/// </summary>
public sealed class HttpRequestPayload
{
    public string Method { get; set; } = "POST";

    public string? Url { get; set; }

    public Dictionary<string, JsonElement>? Headers { get; set; }

    public JsonElement? Body { get; set; }

    /// <summary>The attempt's time limit: every try, redirect and wait between tries included.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>A status (200), a class ("2xx") or an array of them; default "2xx".</summary>
    public JsonElement? SuccessStatus { get; set; }

    /// <summary>Sent as <c>Idempotency-Key</c> on every try; lets a POST or PATCH be retried inside the attempt (<see cref="HttpIdempotency"/>).</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>
    /// Keep the response body (its first 4 KiB) in the output and in error messages. Default: kept,
    /// unless a header carries a secret; then only its size and SHA-256 are kept unless this is true
    /// (and the kept body is redacted, <see cref="SecretRedactor"/>).
    /// </summary>
    public bool? KeepBody { get; set; }
}

/// <summary>One header of a job: a literal value, or a secret reference resolved at run time.</summary>
public sealed record HttpJobHeader(string Name, string? Literal, string? Secret, string Format)
{
    public const string Placeholder = "{0}";

    /// <summary>The value to send: the literal, or <see cref="Format"/> with the secret's value in place of <c>{0}</c>.</summary>
    public string ValueWith(string? secretValue) => Secret is null ? Literal! : Format.Replace(Placeholder, secretValue, StringComparison.Ordinal);
}

/// <summary>The statuses that count as success: single codes and classes (<c>2xx</c>).</summary>
public sealed record HttpSuccessStatus(IReadOnlyList<int> Codes, IReadOnlyList<int> Classes)
{
    public static readonly HttpSuccessStatus Default = new([], [2]);

    public bool Matches(int status) => Codes.Contains(status) || Classes.Contains(status / 100);

    public override string ToString() =>
        string.Join(", ", Codes.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).Concat(Classes.Select(c => $"{c}xx")));

    /// <summary>Parses a number, a class string or an array of them; null when it is none of these.</summary>
    public static HttpSuccessStatus? Parse(JsonElement? value)
    {
        if (value is not { } v || v.ValueKind == JsonValueKind.Null)
        {
            return Default;
        }

        var items = v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToList() : [v];
        var codes = new List<int>();
        var classes = new List<int>();
        foreach (var item in items)
        {
            if (item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out var code) && code is >= 100 and <= 599)
            {
                codes.Add(code);
            }
            else if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: 3 } s && s[0] is >= '1' and <= '5'
                     && s[1..].Equals("xx", StringComparison.OrdinalIgnoreCase))
            {
                classes.Add(s[0] - '0');
            }
            else
            {
                return null;
            }
        }

        return codes.Count + classes.Count == 0 ? null : new HttpSuccessStatus(codes, classes);
    }
}
