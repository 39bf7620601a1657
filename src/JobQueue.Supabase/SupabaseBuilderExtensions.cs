using JobQueue.Api;
using JobQueue.Composition;
using JobQueue.Cutover;
using JobQueue.PgNet;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JobQueue;

/// <summary>
/// The Supabase tooling on the engine's builder (<c>AddJobQueue(configuration).AddHttpJobs().AddSupabaseTooling()</c>):
/// the pg_net conversion of pg_cron jobs and the cut-over of a lived-in project (Cutover/README.md),
/// with their routes. The conversion produces <c>http_request</c> jobs: register <c>AddHttpJobs()</c> too.
/// </summary>
public static class SupabaseBuilderExtensions
{
    public static ApiRouteSet Routes { get; } = new(
        [
            // the way off pg_net: pg_cron jobs that call net.http_post / net.http_get, and their conversion
            ApiRoutes.Route<PgNetEndpoints>("AdminCronJobsPgNetList", "GET", "admin/cron-jobs/pg-net", ApiAuth.Admin, (e, c) => e.ListAsync(c))
                with { Summary = "List the pg_cron jobs that call pg_net, with their http_request equivalent" },
            ApiRoutes.Route<PgNetEndpoints, PgNetConvertRequest>("AdminCronJobsPgNetConvert", "POST", "admin/cron-jobs/pg-net/convert", ApiAuth.Admin, (e, c, r) => e.ConvertAsync(c, r))
                with { Audit = new("cron.pg-net-convert"), SuccessStatus = StatusCodes.Status201Created, ErrorStatuses = [404, 409],
                    Summary = "Convert a pg_net cron job into a disabled http_request job" },
            // the cut-over of a lived-in Supabase project: its dry run
            ApiRoutes.Route<CutoverEndpoints>("AdminCutoverPlan", "GET", "admin/cutover/plan", ApiAuth.Admin, (e, c) => e.PlanAsync(c))
                with { ErrorStatuses = [409], Summary = "Show the cut-over's dry run (changes nothing)" },
            // the cut-over from pg_cron + pg_net: the old jobs' runs beside the new schedules' attempts
            ApiRoutes.Route<CutoverParityEndpoint, CutoverParityRequest>("AdminCutoverParity", "GET", "admin/cutover/parity", ApiAuth.Admin, (e, c, r) => e.GetAsync(c, r))
                with { Summary = "Compare converted cron jobs' old and new runs (the parity report)" },
        ]);

    public static JobQueueBuilder AddSupabaseTooling(this JobQueueBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton<CutoverParityStore>();
        services.TryAddSingleton<OldCronRunReader>();
        services.TryAddSingleton<CutoverParityReport>();
        services.TryAddSingleton<PgNetConverter>();
        services.TryAddSingleton<CronJobConversions>();
        services.TryAddSingleton<CutoverPlanner>();
        services.TryAddSingleton<CutoverApplier>();
        services.TryAddSingleton<CutoverEngine>();
        services.TryAddSingleton<PgNetCronStore>();
        return builder.AddRoutes(Routes);
    }
}
