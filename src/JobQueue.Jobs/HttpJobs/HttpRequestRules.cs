using System.Text.Json;
using System.Text.RegularExpressions;
using JobQueue.Runner;
using JobQueue.Secrets;
using Microsoft.Extensions.Options;

namespace JobQueue.HttpJobs;

/// <summary>An <c>http_request</c> payload once checked: what is sent, and whether the response body is kept.</summary>
public sealed record HttpJobRequest(
    HttpMethod Method, Uri Url, IReadOnlyList<HttpJobHeader> Headers, JsonElement? Body, TimeSpan Timeout, HttpSuccessStatus SuccessStatus,
    bool KeepBody = true);

/// <summary>
/// The rules of an <c>http_request</c> payload, applied when a job is created and before it runs. Header
/// names that carry credentials (<see cref="CredentialHeaders"/>) must be secret references, so that no
/// key is ever stored in a job, a pg_cron command or a log; the app's own secrets (<see cref="AppSecrets"/>)
/// cannot be named, and any other secret goes only where <see cref="SecretDestinations"/> allows it.
/// </summary>
public sealed partial class HttpRequestRules(
    HttpTargetPolicy targets, SecretDestinations destinations, AppSecrets appSecrets, IOptions<RunnerOptions> runner)
{
    public const int MaxTimeoutSeconds = 600;
    public const int MaxHeaders = 50;
    public const int MaxHeaderValueLength = 8192;

    public static readonly IReadOnlySet<string> Methods = new HashSet<string>(StringComparer.Ordinal) { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD" };

    /// <summary>Headers the HTTP stack sets itself.</summary>
    public static readonly IReadOnlySet<string> ReservedHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "TE", "Trailer", "Proxy-Connection", "Expect",
    };

    /// <summary>Headers whose value must be a secret reference, never a literal.</summary>
    public static readonly IReadOnlySet<string> CredentialHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "apikey", "api-key", "x-api-key", "x-functions-key", "x-auth-token", "x-access-token",
    };

    /// <summary>The longest timeout: 600 s, or the runner's time budget when that is shorter.</summary>
    public int TimeoutLimit => Math.Clamp(runner.Value.TimeBudgetSeconds, 1, MaxTimeoutSeconds);

    public (HttpJobRequest? Request, IReadOnlyList<PayloadError> Errors) Check(HttpRequestPayload payload)
    {
        var errors = new List<PayloadError>();
        var method = (payload.Method ?? "POST").ToUpperInvariant();
        if (!Methods.Contains(method))
        {
            errors.Add(new PayloadError("method", "must be one of " + string.Join(", ", Methods)));
        }

        var (url, urlProblem) = targets.Check(payload.Url);
        if (urlProblem is not null)
        {
            errors.Add(new PayloadError("url", urlProblem));
        }

        var headers = CheckHeaders(payload.Headers, errors);
        if (HttpIdempotency.KeyHeader(payload.IdempotencyKey, headers, errors) is { } idempotencyKey)
        {
            headers.Add(idempotencyKey);
        }

        if (url is not null)
        {
            foreach (var header in headers.Where(h => h.Secret is not null))
            {
                if (destinations.Check(header.Secret!, url) is { } notThere)
                {
                    errors.Add(new PayloadError("headers." + header.Name, notThere));
                }
            }
        }

        var body = payload.Body is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } b ? b : (JsonElement?)null;
        if (body is not null && method is "GET" or "HEAD")
        {
            errors.Add(new PayloadError("body", $"must be absent for {method}"));
        }

        if (payload.TimeoutSeconds < 1 || payload.TimeoutSeconds > TimeoutLimit)
        {
            errors.Add(new PayloadError("timeoutSeconds",
                $"must be between 1 and {TimeoutLimit}: it bounds the whole attempt, retries and waits included (at most {MaxTimeoutSeconds}, and within the runner's time budget, Runner:TimeBudgetSeconds)"));
        }

        var success = HttpSuccessStatus.Parse(payload.SuccessStatus);
        if (success is null)
        {
            errors.Add(new PayloadError("successStatus", "must be a status code (100-599), a class such as \"2xx\", or an array of them"));
        }

        return errors.Count > 0
            ? (null, errors)
            : (new HttpJobRequest(new HttpMethod(method), url!, headers, body, TimeSpan.FromSeconds(payload.TimeoutSeconds), success!,
                payload.KeepBody ?? !headers.Any(h => h.Secret is not null)), errors);
    }

    /// <summary>
    /// Whether a redirect of <paramref name="call"/> may be followed to <paramref name="target"/>: the
    /// target is allowed, and every secret the request carries may go there.
    /// </summary>
    public bool MayRedirect(HttpJobRequest call, Uri target) =>
        targets.Check(target) is null && call.Headers.All(h => h.Secret is null || destinations.Check(h.Secret, target) is null);

    /// <summary>Null when <paramref name="name"/> may be referenced by a job's header.</summary>
    public string? CheckSecretName(string? name) =>
        SecretNameProblem(name)
        ?? (appSecrets.Contains(name!) ? $"'{name}' is one of the app's own secrets (or a -previous variant of one), which jobs may never send" : null);

    /// <summary>Null when <paramref name="name"/> has the form of a secret's name.</summary>
    public static string? SecretNameProblem(string? name) =>
        name is null || !SecretName().IsMatch(name)
            ? "must name a secret: 1 to 127 letters, digits and '-' (a Key Vault secret name; without a vault the setting Secrets:<name>)"
            : null;

    private List<HttpJobHeader> CheckHeaders(Dictionary<string, JsonElement>? headers, List<PayloadError> errors)
    {
        var result = new List<HttpJobHeader>();
        if (headers is null)
        {
            return result;
        }

        if (headers.Count > MaxHeaders)
        {
            errors.Add(new PayloadError("headers", $"must have at most {MaxHeaders} headers"));
            return result;
        }

        foreach (var (name, value) in headers)
        {
            var field = "headers." + name;
            if (!HeaderName().IsMatch(name))
            {
                errors.Add(new PayloadError(field, "is not a valid header name"));
            }
            else if (ReservedHeaders.Contains(name))
            {
                errors.Add(new PayloadError(field, "is set by the HTTP client itself"));
            }
            else if (value.ValueKind == JsonValueKind.String)
            {
                if (CredentialHeaders.Contains(name))
                {
                    errors.Add(new PayloadError(field,
                        "carries a credential and must be a secret reference, e.g. {\"secret\": \"service-role-key\", \"format\": \"Bearer {0}\"}: keys are never stored in a job"));
                }
                else if (ValueProblem(value.GetString()!) is { } problem)
                {
                    errors.Add(new PayloadError(field, problem));
                }
                else
                {
                    result.Add(new HttpJobHeader(name, value.GetString(), null, HttpJobHeader.Placeholder));
                }
            }
            else if (value.ValueKind == JsonValueKind.Object)
            {
                if (SecretReference(name, value, field, errors) is { } header)
                {
                    result.Add(header);
                }
            }
            else
            {
                errors.Add(new PayloadError(field, "must be a string or a secret reference {\"secret\": \"name\", \"format\": \"Bearer {0}\"}"));
            }
        }

        return result;
    }

    private HttpJobHeader? SecretReference(string name, JsonElement value, string field, List<PayloadError> errors)
    {
        string? secret = null;
        var format = HttpJobHeader.Placeholder;
        foreach (var property in value.EnumerateObject())
        {
            switch (property.Name)
            {
                case "secret" when property.Value.ValueKind == JsonValueKind.String:
                    secret = property.Value.GetString();
                    break;
                case "format" when property.Value.ValueKind == JsonValueKind.String:
                    format = property.Value.GetString()!;
                    break;
                default:
                    errors.Add(new PayloadError($"{field}.{property.Name}", "a secret reference has only \"secret\" and \"format\" (strings)"));
                    return null;
            }
        }

        if (CheckSecretName(secret) is { } secretProblem)
        {
            errors.Add(new PayloadError(field + ".secret", secretProblem));
            return null;
        }

        var at = format.IndexOf(HttpJobHeader.Placeholder, StringComparison.Ordinal);
        if (at < 0 || format.IndexOf(HttpJobHeader.Placeholder, at + 1, StringComparison.Ordinal) >= 0 || ValueProblem(format) is not null)
        {
            errors.Add(new PayloadError(field + ".format", "must contain {0} (where the secret goes) exactly once, and no line breaks"));
            return null;
        }

        return new HttpJobHeader(name, null, secret, format);
    }

    private static string? ValueProblem(string value) =>
        value.Length > MaxHeaderValueLength ? $"must be at most {MaxHeaderValueLength} characters"
        : value.Any(c => c is '\r' or '\n' or '\0') ? "must not contain line breaks or NUL characters"
        : null;

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderName();

    [GeneratedRegex("^[0-9A-Za-z-]{1,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();
}
