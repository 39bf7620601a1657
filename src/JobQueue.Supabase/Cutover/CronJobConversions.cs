using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JobQueue.PgNet;
using JobQueue.Secrets;

namespace JobQueue.Cutover;

/// <summary>A converted job's payload as it will be scheduled: with the URL resolved (never shown), and the secrets it needs.</summary>
public sealed record CronJobConversion(CronJobPlan Plan, JsonObject? Payload, IReadOnlyList<RequiredSecret> Secrets);

/// <summary>
/// Classifies a legacy pg_cron job by its command and, for a pg_net call, builds the <c>http_request</c>
/// payload (<see cref="PgNetConverter"/>): header keys become named secret references. A URL built
/// from a secret lookup (<c>get_secret('supabase_url') || '/functions/v1/x'</c>, Vault's
/// <c>project_url</c>) is read through the app's secret provider under its vault name
/// (<c>supabase-url</c>) and written into the schedule; reports show it as <c>{secret:supabase-url}/functions/v1/x</c>.
/// Every secret a conversion needs is checked through the provider (Key Vault, or <c>Secrets:&lt;name&gt;</c>);
/// values are only ever used, never printed.
/// </summary>
public sealed partial class CronJobConversions(PgNetConverter converter, ISecretProvider secrets)
{
    public const string NewNameSuffix = "-jobqueue";
    private const string Placeholder = "https://url-from-secret.invalid";

    public static CronJobKind Classify(string command) =>
        HttpCall().IsMatch(command) ? CronJobKind.HttpCall
        : Enqueue().IsMatch(command) ? CronJobKind.Enqueue
        : LegacyTable().IsMatch(command) ? CronJobKind.LegacyTable
        : CronJobKind.Other;

    /// <summary>The JobQueue name of a converted job: the old name with <see cref="NewNameSuffix"/>, or <c>cutover-&lt;jobid&gt;</c>.</summary>
    public static string NewName(LegacyCronJob job)
    {
        var name = job.Name + NewNameSuffix;
        return ValidName().IsMatch(name) ? name : $"cutover-{job.JobId}";
    }

    public async Task<CronJobConversion> PlanAsync(LegacyCronJob job, CancellationToken cancellationToken)
    {
        var kind = Classify(job.Command);
        var md5 = job.CommandMd5;
        if (kind != CronJobKind.HttpCall)
        {
            var action = kind switch
            {
                CronJobKind.Enqueue => "keeps working: job_queue_enqueue is the wrapper that enqueues into JobQueue",
                CronJobKind.LegacyTable when job.Active => "disable: it works on the legacy queue table (JobQueue's own cleanup replaces it)",
                CronJobKind.LegacyTable => "left disabled: it works on the legacy queue table",
                _ => "left as it is",
            };
            return new CronJobConversion(new CronJobPlan(job.JobId, job.Name, job.Username, job.Schedule, job.Active, kind, action, md5, [], null, null, null, []), null, []);
        }

        var problems = new List<string>();
        var needed = new List<RequiredSecret>();
        PgNetCall? call = null;
        try
        {
            call = PgNetCommandParser.Parse(job.Command);
        }
        catch (FormatException e)
        {
            problems.Add("command: cannot be read: " + e.Message);
        }

        var read = call?.Arguments.SelectMany(a => a.Value.Secrets).Select(s => s.ToString()).Distinct().ToList() ?? [];
        var (urlSecret, urlSuffix, urlProblem) = call is null ? (null, null, null) : UrlFromSecret(call);
        if (urlProblem is not null)
        {
            problems.Add(urlProblem);
        }

        string? url = null;
        string? urlValue = null;
        if (urlSecret is not null)
        {
            var check = await CheckAsync(urlSecret, job.Name, "the URL's base", cancellationToken);
            needed.Add(check.Secret);
            urlValue = check.Value;
            url = (urlValue ?? Placeholder) + urlSuffix;
        }

        JsonObject? payload = null;
        if (call is not null && urlProblem is null)
        {
            // without the base URL's value (not stored yet) the rest is still checked, the URL is not
            var urlMissing = urlSecret is not null && urlValue is null;
            var conversion = converter.Convert(job.Name, job.Command, new PgNetOverrides(Url: url));
            // nor, then, where its secrets may go (HttpJobs:SecretDestinations is checked against the real URL)
            problems.AddRange(conversion.Problems
                .Where(p => !(urlMissing && (p.Field.Contains("url", StringComparison.Ordinal)
                                             || p.Reason.Contains(" may not be sent to ", StringComparison.Ordinal))))
                .Select(p => $"{p.Field}: {Scrub(p.Reason, urlValue, urlSecret)}"));
            foreach (var s in conversion.Secrets.DistinctBy(s => s.Secret))
            {
                var check = await CheckAsync(s.Secret, job.Name, $"header {s.Header}" + (s.Literal ? " (a key written in the command in plain text: store it and rotate it)" : ""), cancellationToken);
                needed.Add(check.Secret);
            }

            payload = conversion.Payload;
        }

        var shown = payload?.DeepClone().AsObject();
        if (shown is not null && urlSecret is not null)
        {
            shown["url"] = "{secret:" + urlSecret + "}" + urlSuffix;
        }

        var plan = new CronJobPlan(job.JobId, job.Name, job.Username, job.Schedule, job.Active, kind,
            !job.Active ? "left as it is: inactive (convert it by hand if it is turned on)"
            : problems.Count == 0 ? $"convert into the JobQueue schedule {NewName(job)} (http_request) and disable it"
            : "left as it is: cannot be converted",
            md5, read, NewName(job), shown, urlSecret, problems);
        return new CronJobConversion(plan, problems.Count == 0 ? payload : null, needed);
    }

    /// <summary>A URL of the form <c>&lt;secret lookup&gt; || '/path'</c>: the secret's vault name and the literal rest.</summary>
    private static (string? Secret, string? Suffix, string? Problem) UrlFromSecret(PgNetCall call)
    {
        var url = call.Arguments.FirstOrDefault(a => a.Key == "url").Value ?? (call.Arguments.Count > 0 && call.Arguments[0].Key is null ? call.Arguments[0].Value : null);
        if (url?.AsText() is not { IsLiteral: false } text || url.Unsupported is not null)
        {
            return (null, null, null);
        }

        var lookups = text.Parts.OfType<SecretLookup>().ToList();
        if (lookups.Count != 1 || text.Parts[0] is not SecretLookup lookup)
        {
            return (null, null, "url: built from secrets other than one base URL followed by a constant path");
        }

        return (PgNetConverter.VaultName(lookup.Name), string.Concat(text.Parts.Skip(1).OfType<string>()), null);
    }

    private async Task<(RequiredSecret Secret, string? Value)> CheckAsync(string name, string job, string usedFor, CancellationToken cancellationToken)
    {
        var usedBy = $"{job}: {usedFor}";
        var where = $"Key Vault secret '{name}' (or setting Secrets:{name})";
        try
        {
            var value = await secrets.GetAsync(name, cancellationToken);
            return (new RequiredSecret(name, usedBy, where, true, null), value);
        }
        catch (SecretNotFoundException)
        {
            return (new RequiredSecret(name, usedBy, where, false, "not stored yet"), null);
        }
        catch (SecretUnavailableException e)
        {
            return (new RequiredSecret(name, usedBy, where, false, e.Message), null);
        }
    }

    private static string Scrub(string text, string? value, string? name) =>
        string.IsNullOrEmpty(value) ? text : text.Replace(value, "{secret:" + name + "}", StringComparison.Ordinal);

    [GeneratedRegex(@"\bnet\s*\.\s*http_(post|get)\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex HttpCall();

    [GeneratedRegex(@"\bjob_queue_enqueue\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex Enqueue();

    [GeneratedRegex(@"\bjob_queue\b", RegexOptions.IgnoreCase)]
    private static partial Regex LegacyTable();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")]
    private static partial Regex ValidName();
}
