using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JobQueue.HttpJobs;
using JobQueue.Runner;

namespace JobQueue.PgNet;

/// <summary>A secret the converted job's header reads: which header, which vault secret, where the command got it.</summary>
public sealed record PgNetSecret(string Header, string Secret, string Source, bool Literal, string? Note);

/// <summary>
/// A pg_net job as an <c>http_request</c> payload. <see cref="Payload"/> holds secret references only;
/// a key written into the command in plain text is replaced by a reference (<see cref="PgNetSecret.Literal"/>)
/// and never copied. <see cref="Problems"/> says what keeps it from being converted, by field;
/// <see cref="Parsed"/> is what could be read of the call even then (for <see cref="PgNetCallSummary"/>).
/// </summary>
public sealed record PgNetConversion(JsonObject? Payload, IReadOnlyList<PgNetSecret> Secrets, IReadOnlyList<PayloadError> Problems)
{
    public bool Convertible => Payload is not null && Problems.Count == 0;

    /// <summary>The payload as far as it was read (null when the command could not be read at all).</summary>
    public JsonObject? Parsed { get; init; }
}

/// <summary>What an operator may give when converting: the URL or schedule to use, and vault secret names by header.</summary>
public sealed record PgNetOverrides(string? Url = null, IReadOnlyDictionary<string, string>? SecretNames = null)
{
    public static readonly PgNetOverrides None = new();
}

/// <summary>
/// Turns a pg_net call (<see cref="PgNetCommandParser"/>) into the equivalent <c>http_request</c> payload:
/// <c>net.http_post(url, body, params, headers, timeout_milliseconds)</c> / <c>net.http_get(url, params,
/// headers, timeout_milliseconds)</c>, by name or position. Header values read from a secret lookup
/// become <c>{"secret": "&lt;name&gt;", "format": "Bearer {0}"}</c> (the lookup's name made a vault name:
/// <c>service_role_key</c> → <c>service-role-key</c>); literal keys are replaced the same way (named
/// <c>&lt;job&gt;-&lt;header&gt;</c> unless the operator names them) and flagged. The payload is then checked
/// like any other (allow-list included).
/// </summary>
public sealed partial class PgNetConverter(JobHandlerRegistry handlers)
{
    private static readonly string[] PostParameters = ["url", "body", "params", "headers", "timeout_milliseconds"];
    private static readonly string[] GetParameters = ["url", "params", "headers", "timeout_milliseconds"];

    public PgNetConversion Convert(string jobName, string command, PgNetOverrides overrides)
    {
        PgNetCall call;
        try
        {
            call = PgNetCommandParser.Parse(command);
        }
        catch (FormatException e)
        {
            return new PgNetConversion(null, [], [new PayloadError("command", "cannot be read: " + e.Message)]);
        }

        var problems = new List<PayloadError>();
        var secrets = new List<PgNetSecret>();
        var args = Arguments(call, problems);
        var payload = new JsonObject { ["method"] = call.Function == "http_post" ? "POST" : "GET" };

        var url = overrides.Url ?? Url(args, problems);
        if (url is not null && args.TryGetValue("params", out var query) && Query(query, problems) is { Length: > 0 } q)
        {
            url += (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + q;
        }

        payload["url"] = url;
        if (args.TryGetValue("headers", out var headers))
        {
            payload["headers"] = Headers(jobName, headers, overrides, secrets, problems);
        }

        if (args.TryGetValue("body", out var body))
        {
            payload["body"] = Body(body, problems);
        }

        if (args.TryGetValue("timeout_milliseconds", out var timeout))
        {
            if (timeout is SqlNumber ms && ms.Value > 0)
            {
                payload["timeoutSeconds"] = (int)Math.Min(HttpRequestRules.MaxTimeoutSeconds, Math.Ceiling(ms.Value / 1000));
            }
            else
            {
                problems.Add(new PayloadError("command", "timeout_milliseconds is not a positive number constant"));
            }
        }

        if (problems.Count == 0)
        {
            var element = JsonSerializer.SerializeToElement(payload);
            problems.AddRange(handlers.ValidatePayload(HttpRequestHandler.Name, element).Select(e => e with { Field = "payload." + e.Field }));
        }

        return new PgNetConversion(problems.Count == 0 ? payload : null, secrets, problems) { Parsed = payload };
    }

    /// <summary>A vault secret name (letters, digits, '-') from a lookup's or a header's name.</summary>
    public static string VaultName(string name)
    {
        var text = NotVaultChars().Replace(name.ToLowerInvariant(), "-").Trim('-');
        text = text.Length > 127 ? text[..127].TrimEnd('-') : text;
        return text.Length == 0 ? "pg-net-secret" : text;
    }

    /// <summary>
    /// Whether a literal looks like a key: a JWT, a Supabase secret key, one the SQL side masked
    /// (<c>redacted-…</c>), or (unless <paramref name="strict"/>) a token of 32 or more characters
    /// without spaces that mixes letters and digits.
    /// </summary>
    public static bool LooksLikeKey(string value, bool strict = false)
    {
        var bare = value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value[7..].Trim() : value;
        return Jwt().IsMatch(bare) || bare.StartsWith("sb_secret_", StringComparison.Ordinal) || bare.StartsWith("redacted-", StringComparison.Ordinal)
               || (!strict && LongToken().IsMatch(bare) && bare.Any(char.IsAsciiDigit) && bare.Any(char.IsAsciiLetter));
    }

    private static Dictionary<string, SqlValue> Arguments(PgNetCall call, List<PayloadError> problems)
    {
        var names = call.Function == "http_post" ? PostParameters : GetParameters;
        var args = new Dictionary<string, SqlValue>(StringComparer.Ordinal);
        for (var i = 0; i < call.Arguments.Count; i++)
        {
            var (name, value) = call.Arguments[i];
            name ??= i < names.Length ? names[i] : null;
            if (name is null || !names.Contains(name))
            {
                problems.Add(new PayloadError("command", $"{call.Function} has no argument {name ?? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
                continue;
            }

            if (value.Unsupported is { } reason && name is not ("headers" or "url"))
            {
                problems.Add(new PayloadError("command", $"{name}: {reason}"));
                continue;
            }

            args[name] = value;
        }

        return args;
    }

    private static string? Url(Dictionary<string, SqlValue> args, List<PayloadError> problems)
    {
        if (!args.TryGetValue("url", out var url))
        {
            problems.Add(new PayloadError("url", "the call has no url: give one"));
            return null;
        }

        if (url is SqlText { IsLiteral: true } text)
        {
            return text.LiteralText;
        }

        var from = url.Unsupported ?? string.Join(", ", url.Secrets.Select(s => s.ToString()));
        problems.Add(new PayloadError("url", $"is not a constant ({from}): give the URL (\"url\") when converting"));
        return null;
    }

    private static string? Query(SqlValue query, List<PayloadError> problems)
    {
        if (query is not SqlObject o || o.Secrets.Any() || o.Entries.Any(e => e.Value is SqlObject or SqlArray))
        {
            problems.Add(new PayloadError("command", "params is not an object of constants"));
            return null;
        }

        return string.Join("&", o.Entries.Select(e =>
            Uri.EscapeDataString(e.Key) + "=" + Uri.EscapeDataString(e.Value.AsText()?.LiteralText ?? "")));
    }

    private static JsonNode? Body(SqlValue body, List<PayloadError> problems)
    {
        if (body.Secrets.FirstOrDefault() is { } secret)
        {
            problems.Add(new PayloadError("body", $"uses {secret}: an http_request body holds no secrets; send the key in a header"));
            return null;
        }

        var json = body.ToJson();
        if (json is not null && Strings(json).Any(s => LooksLikeKey(s, strict: true)))
        {
            problems.Add(new PayloadError("body", "holds what looks like a key in plain text: an http_request body holds no secrets; send the key in a header"));
            return null;
        }

        return json;
    }

    private static JsonObject? Headers(
        string jobName, SqlValue headers, PgNetOverrides overrides, List<PgNetSecret> secrets, List<PayloadError> problems)
    {
        if (headers is not SqlObject o)
        {
            problems.Add(new PayloadError("headers", headers.Unsupported ?? "is not a JSON object of constants and secret lookups"));
            return null;
        }

        var result = new JsonObject();
        foreach (var (name, value) in o.Entries)
        {
            var field = "headers." + name;
            var text = value.AsText();
            var lookups = text?.Secrets.ToList() ?? [];
            var named = overrides.SecretNames?.GetValueOrDefault(name);
            if (text is null || value.Unsupported is not null || lookups.Count > 1)
            {
                problems.Add(new PayloadError(field, value.Unsupported ?? "is not text built from constants and at most one secret lookup"));
            }
            else if (lookups.Count == 1)
            {
                var at = text.Parts.ToList().IndexOf(lookups[0]);
                var format = string.Concat(text.Parts.Take(at).OfType<string>()) + HttpJobHeader.Placeholder + string.Concat(text.Parts.Skip(at + 1).OfType<string>());
                var secret = named ?? VaultName(lookups[0].Name);
                result[name] = Reference(secret, format);
                secrets.Add(new PgNetSecret(name, secret, lookups[0].ToString(), false, null));
            }
            else if (HttpRequestRules.CredentialHeaders.Contains(name) || LooksLikeKey(text.LiteralText))
            {
                var literal = text.LiteralText;
                var format = literal.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? "Bearer " + HttpJobHeader.Placeholder : HttpJobHeader.Placeholder;
                var secret = named ?? VaultName($"{jobName}-{name}");
                result[name] = Reference(secret, format);
                secrets.Add(new PgNetSecret(name, secret, "a literal in the command", true,
                    $"the key is written in the pg_cron command in plain text: store it as secret '{secret}' (Key Vault, or Secrets:{secret}) and rotate it"));
            }
            else
            {
                result[name] = text.LiteralText;
            }
        }

        return result;
    }

    private static JsonObject Reference(string secret, string format) =>
        format == HttpJobHeader.Placeholder ? new JsonObject { ["secret"] = secret } : new JsonObject { ["secret"] = secret, ["format"] = format };

    private static IEnumerable<string> Strings(JsonNode node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Value is null ? [] : Strings(p.Value)),
        JsonArray a => a.SelectMany(i => i is null ? [] : Strings(i)),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    [GeneratedRegex("[^0-9a-z-]+", RegexOptions.CultureInvariant)]
    private static partial Regex NotVaultChars();

    [GeneratedRegex(@"^eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"^[A-Za-z0-9_\-+/=.]{32,}$", RegexOptions.CultureInvariant)]
    private static partial Regex LongToken();
}
