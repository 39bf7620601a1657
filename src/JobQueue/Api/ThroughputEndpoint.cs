using JobQueue.Queue;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// <c>GET admin/job-queue/throughput?window=hour|day</c> (admin auth): attempts finished per minute,
/// by outcome, over the last hour (60 minutes) or day (1,440): <c>{window, minutes: [{at, succeeded,
/// failed, retried, leaseExpired, cancelled}]}</c>, oldest first, every minute present.
/// </summary>
public sealed class ThroughputEndpoint(QueueThroughputStore store)
{
    public async Task<IResult> GetAsync(ApiCall call, ThroughputRequest query) =>
        ApiJson.Ok(new ThroughputResponse(query.Window, await store.GetAsync(ThroughputRequest.Windows[query.Window], call.Aborted)));
}

/// <summary>The query of <c>GET admin/job-queue/throughput</c>: <c>window</c>, hour (default) or day.</summary>
public sealed record ThroughputRequest(string Window) : IApiRequest<ThroughputRequest>
{
    internal static readonly Dictionary<string, TimeSpan> Windows = new(StringComparer.Ordinal)
    {
        ["hour"] = TimeSpan.FromHours(1),
        ["day"] = TimeSpan.FromDays(1),
    };

    public static ThroughputRequest Bind(RequestFields fields, IQueryCollection query)
    {
        var window = fields.QueryString(query, "window", 10) ?? "hour";
        if (!fields.HasErrors && !Windows.ContainsKey(window))
        {
            fields.Error("window", "must be hour or day");
        }

        return new(window);
    }
}

/// <summary>Attempts finished per minute by outcome, oldest first, every minute of the window present.</summary>
public sealed record ThroughputResponse(string Window, IReadOnlyList<MinuteCounts> Minutes);
