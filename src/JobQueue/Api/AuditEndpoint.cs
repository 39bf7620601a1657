using System.Globalization;
using JobQueue.Audit;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// <c>GET admin/audit?limit&amp;cursor&amp;action&amp;actor</c> (admin auth): the audit log, newest first,
/// <c>{entries: [{id, at, actor, action, target, outcome, status, detail, requestId}], nextCursor}</c>;
/// pass <c>nextCursor</c> back as <c>cursor</c> for the next page.
/// </summary>
public sealed class AuditEndpoint(AuditStore store)
{
    public async Task<IResult> ListAsync(ApiCall call, AuditListRequest query)
    {
        var entries = await store.ListAsync(query.Limit, query.Cursor, query.Action, query.Actor, call.Aborted);
        var next = entries.Count == query.Limit ? entries[^1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return ApiJson.Ok(new AuditListResponse(entries, next));
    }
}

/// <summary>The query of <c>GET admin/audit</c>: page size, the previous page's <c>nextCursor</c>, and filters by action and actor.</summary>
public sealed record AuditListRequest(int Limit, long? Cursor, string? Action, string? Actor) : IApiRequest<AuditListRequest>
{
    public static AuditListRequest Bind(RequestFields fields, IQueryCollection query)
    {
        var limit = fields.QueryInt(query, "limit", 1, ApiLimits.MaxListLimit) ?? 50;
        var cursorText = fields.QueryString(query, "cursor", 20);
        long? cursor = null;
        if (cursorText is not null)
        {
            if (long.TryParse(cursorText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                cursor = id;
            }
            else
            {
                fields.Error("cursor", "is not a cursor returned by this list");
            }
        }

        return new(limit, cursor, fields.QueryString(query, "action", 50), fields.QueryString(query, "actor", AuditStore.MaxActorLength));
    }
}

/// <summary>A page of the audit log, newest first; <c>nextCursor</c> for the next page, null at the end.</summary>
public sealed record AuditListResponse(IReadOnlyList<AuditEntry> Entries, string? NextCursor);
