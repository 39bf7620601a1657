using System.Text.Json;
using JobQueue.Cron;
using JobQueue.HttpJobs;
using JobQueue.PgNet;
using JobQueue.Secrets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace JobQueue.Api;

/// <summary>
/// The way off pg_net (admin auth), over the schema owner's connection (<see cref="PgNetCronStore"/>: 503
/// saying what to set while <c>Database:MigrationConnectionString</c> is not). <c>GET admin/cron-jobs/pg-net</c>:
/// the pg_cron jobs whose command is one <c>net.http_post</c> / <c>net.http_get</c> call, each with what was
/// parsed of it (<see cref="PgNetCallSummary"/>: method, URL, header names, body shape, timeout) and the secrets
/// it reads (names only; literal keys flagged), never the command, a header value or a body value.
/// <c>POST admin/cron-jobs/pg-net/convert</c>
/// <c>{jobName | jobId, newJobName, url, schedule, secretNames: {header: secret}, maxAttempts}</c>: creates the
/// JobQueue job through <c>create_cron_job</c> and disables the old one (not deleted), in one transaction;
/// 201 <c>{converted, job, payload, secrets}</c>. Refused (nothing changed): 400 a problem of the conversion or
/// the payload, by field; 404 no such pg_net job; 409 a secret the job needs is not stored yet, the name is
/// taken, or the command changed since it was read.
/// </summary>
public sealed partial class PgNetEndpoints(
    PgNetCronStore store, PgNetConverter converter, HttpRequestRules rules, ISecretProvider secrets, ILogger<PgNetEndpoints> logger)
{
    public const string NewNameSuffix = "-jobqueue";

    public Task<IResult> ListAsync(ApiCall call) => CronCalls.RunAsync(async () =>
    {
        var jobs = (await store.GetJobsAsync(call.Aborted))
            .Select(job => View(job, converter.Convert(job.Name, job.Command, PgNetOverrides.None)))
            .ToList();
        var summary = new
        {
            total = jobs.Count,
            convertible = jobs.Count(j => j.Convertible),
            withLiteralKeys = jobs.Count(j => j.LiteralKeys),
        };
        return ApiJson.Ok(new { jobs, summary });
    });

    public async Task<IResult> ConvertAsync(ApiCall call, PgNetConvertRequest convert)
    {
        var cancellationToken = call.Aborted;
        var (jobName, jobId, newJobName, url, schedule, maxAttempts) =
            (convert.JobName, convert.JobId, convert.NewJobName, convert.Url, convert.Schedule, convert.MaxAttempts);
        var checkedNames = new RequestFields(default);
        var secretNames = SecretNames(checkedNames, convert.SecretNames);
        if (checkedNames.HasErrors)
        {
            return checkedNames.Problem();
        }

        return await CronCalls.RunAsync(async () =>
        {
            var matches = (await store.GetJobsAsync(cancellationToken))
                .Where(j => (jobId is null || j.JobId == jobId) && (jobName is null || j.Name == jobName))
                .ToList();
            if (matches.Count != 1)
            {
                return matches.Count == 0
                    ? ApiProblems.NotFound($"no pg_cron job {jobName ?? jobId.ToString()} calls net.http_post or net.http_get")
                    : ApiProblems.Conflict($"{matches.Count} pg_cron jobs are named {jobName}: give jobId");
            }

            var old = matches[0];
            var conversion = converter.Convert(old.Name, old.Command, new PgNetOverrides(url, secretNames));
            var name = newJobName ?? Shorten(old.Name) + NewNameSuffix;
            var problems = conversion.Problems.ToList();
            var cronSchedule = "";
            if (CronJobRequestValidator.CheckSchedule(schedule ?? old.Schedule, out cronSchedule) is { } scheduleError)
            {
                problems.Add(scheduleError with { Reason = $"{scheduleError.Reason}{(schedule is null ? " (the pg_cron job's schedule is '" + old.Schedule + "': give \"schedule\")" : "")}" });
            }

            if (CronJobRequestValidator.CheckName(name) is { } nameError)
            {
                problems.Add(nameError with { Field = "newJobName" });
            }

            if (problems.Count > 0 || conversion.Payload is null)
            {
                return ApiProblems.Validation(problems, "");
            }

            if (await MissingSecretsAsync(conversion.Secrets, cancellationToken) is { Count: > 0 } missing)
            {
                return ApiProblems.Conflict(
                    $"store these secrets first (Key Vault, or Secrets:<name> without a vault), then convert: {string.Join(", ", missing)}");
            }

            var payloadJson = conversion.Payload.ToJsonString();
            var job = await store.ConvertAsync(old,
                new CronJobDefinition(name, cronSchedule, HttpRequestHandler.Name, payloadJson, maxAttempts, "pg_cron:" + name), cancellationToken);
            LogConverted(logger, old.Name, old.JobId, job.Name, call.Actor);
            call.AuditDetail = $"{old.Name} (pg_cron job {old.JobId}, disabled) -> {job.Name} ({job.Schedule} http_request)";
            return ApiJson.Ok(new
            {
                converted = new { jobId = old.JobId, jobName = old.Name, active = false },
                job,
                payload = conversion.Payload,
                secrets = conversion.Secrets,
            }, StatusCodes.Status201Created);
        });
    }

    private static PgNetJobView View(PgNetCronJob job, PgNetConversion conversion) => new(
        job.JobId, job.Name, job.Schedule, CronScheduleDescriber.Describe(job.Schedule), job.Active, job.Database, job.Username,
        conversion.Convertible, conversion.Secrets.Any(s => s.Literal), PgNetCallSummary.Of(conversion), conversion.Secrets,
        conversion.Problems.Select(p => new { field = p.Field, reason = p.Reason }).ToList(), Shorten(job.Name) + NewNameSuffix);

    private Dictionary<string, string>? SecretNames(RequestFields fields, JsonElement? value)
    {
        if (value is not { } names)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in names.EnumerateObject())
        {
            var name = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
            if (rules.CheckSecretName(name) is { } problem)
            {
                fields.Error("secretNames." + property.Name, problem);
            }
            else
            {
                result[property.Name] = name!;
            }
        }

        return result;
    }

    private async Task<List<string>> MissingSecretsAsync(IEnumerable<PgNetSecret> needed, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        foreach (var name in needed.Select(s => s.Secret).Distinct(StringComparer.Ordinal))
        {
            try
            {
                await secrets.GetAsync(name, cancellationToken);
            }
            catch (SecretNotFoundException)
            {
                missing.Add(name);
            }
        }

        return missing;
    }

    private static string Shorten(string name) =>
        name.Length + NewNameSuffix.Length <= CronJobRequestValidator.MaxNameLength ? name : name[..(CronJobRequestValidator.MaxNameLength - NewNameSuffix.Length)];

    [LoggerMessage(EventId = 4110, Level = LogLevel.Information,
        Message = "pg_net cron job {OldJobName} ({OldJobId}) converted to JobQueue cron job {JobName} by {Actor}; the old job is disabled")]
    private static partial void LogConverted(ILogger logger, string oldJobName, long oldJobId, string jobName, string actor);

    private sealed record PgNetJobView(
        long JobId, string JobName, string Schedule, string Description, bool Active, string? Database, string? Username,
        bool Convertible, bool LiteralKeys, PgNetCallSummary Request, IReadOnlyList<PgNetSecret> Secrets,
        object Problems, string SuggestedJobName);
}

/// <summary>
/// The body of <c>POST admin/cron-jobs/pg-net/convert</c>: the pg_cron job (<c>jobName</c> or <c>jobId</c>),
/// and what to change on the way: <c>newJobName</c>, <c>url</c>, <c>schedule</c>, <c>secretNames</c> (header -> stored secret), <c>maxAttempts</c>.
/// </summary>
public sealed record PgNetConvertRequest(
    string? JobName, int? JobId, string? NewJobName, string? Url, string? Schedule, JsonElement? SecretNames, int MaxAttempts)
    : IApiRequest<PgNetConvertRequest>, IAuditedRequest
{
    string? IAuditedRequest.AuditTarget => JobName ?? JobId?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static PgNetConvertRequest Bind(RequestFields fields, IQueryCollection query)
    {
        var convert = new PgNetConvertRequest(
            fields.Text("jobName", CronJobRequestValidator.MaxNameLength),
            fields.Number("jobId", 1, int.MaxValue),
            fields.Text("newJobName", CronJobRequestValidator.MaxNameLength),
            fields.Text("url", HttpTargetPolicy.MaxUrlLength),
            fields.Text("schedule", CronScheduleValidator.MaxLength),
            fields.ObjectValue("secretNames", 8192),
            fields.Number("maxAttempts", 1, CronJobRequestValidator.MaxAttemptsLimit) ?? 3);
        if (convert.JobName is null && convert.JobId is null)
        {
            fields.Error("jobName", "is required (or jobId): the pg_cron job to convert");
        }

        return convert;
    }
}
