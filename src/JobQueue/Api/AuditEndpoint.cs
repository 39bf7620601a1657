using JobQueue.Audit;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// <c>GET admin/audit?limit&amp;cursor&amp;action&amp;actor</c> (admin auth): the audit log, newest first,
/// <c>{entries: [{id, at, actor, action, target, outcome, status, detail, requestId}], nextCursor}</c>;
/// pass <c>nextCursor</c> back as <c>cursor</c> for the next page.
/// </summary>
public sealed class AuditEndpoint(ApiAuthenticator auth, AuditStore store)
{
    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var caller = await auth.AdminAsync(request, cancellationToken);
        if (!caller.Succeeded)
        {
            return caller.Failure!;
        }

        var fields = new RequestFields(default);
        var limit = fields.QueryInt(request.Query, "limit", 1, ApiLimits.MaxListLimit) ?? 50;
        var cursorText = fields.QueryString(request.Query, "cursor", 20);
        long? cursor = null;
        if (cursorText is not null)
        {
            if (long.TryParse(cursorText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                cursor = id;
            }
            else
            {
                fields.Error("cursor", "is not a cursor returned by this list");
            }
        }

        var action = fields.QueryString(request.Query, "action", 50);
        var actor = fields.QueryString(request.Query, "actor", AuditStore.MaxActorLength);
        if (fields.HasErrors)
        {
            return fields.Problem();
        }

        var entries = await store.ListAsync(limit, cursor, action, actor, cancellationToken);
        var next = entries.Count == limit ? entries[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return ApiJson.Ok(new { entries, nextCursor = next });
    }
}
