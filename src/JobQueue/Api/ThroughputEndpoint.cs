using JobQueue.Queue;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// <c>GET admin/job-queue/throughput?window=hour|day</c> (admin auth): attempts finished per minute,
/// by outcome, over the last hour (60 minutes) or day (1,440): <c>{window, minutes: [{at, succeeded,
/// failed, retried, leaseExpired, cancelled}]}</c>, oldest first, every minute present.
/// </summary>
public sealed class ThroughputEndpoint(ApiAuthenticator auth, QueueThroughputStore store)
{
    private static readonly Dictionary<string, TimeSpan> Windows = new(StringComparer.Ordinal)
    {
        ["hour"] = TimeSpan.FromHours(1),
        ["day"] = TimeSpan.FromDays(1),
    };

    public async Task<IResult> GetAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var caller = await auth.AdminAsync(request, cancellationToken);
        if (!caller.Succeeded)
        {
            return caller.Failure!;
        }

        var fields = new RequestFields(default);
        var window = fields.QueryString(request.Query, "window", 10) ?? "hour";
        if (!Windows.TryGetValue(window, out var span))
        {
            fields.Error("window", "must be hour or day");
        }

        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        return ApiJson.Ok(new { window, minutes = await store.GetAsync(span, cancellationToken) });
    }
}
