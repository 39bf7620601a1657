using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>Request values every endpoint uses.</summary>
public static class ApiRequest
{
    /// <summary>The caller's <c>x-request-id</c> (bounded), else the host's trace identifier: stored as <c>request_id</c>.</summary>
    public static string RequestId(HttpRequest request)
    {
        var header = request.Headers["x-request-id"].ToString();
        return header.Length is > 0 and <= ApiLimits.MaxRequestIdLength && !header.Any(char.IsControl)
            ? header
            : request.HttpContext.TraceIdentifier;
    }

    /// <summary>A job id route value; null when it is not a GUID.</summary>
    public static Guid? JobId(string? id) => Guid.TryParse(id, out var guid) ? guid : null;
}
