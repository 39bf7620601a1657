using JobQueue.Api;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Dashboard;

/// <summary>
/// The browser dashboard's static files (no authentication: they hold no data; every figure and
/// action comes from the admin API, which the page calls with the admin token or the App Service
/// principal). Served by the server at <c>/</c> and <c>/assets/...</c> and, like on the Functions
/// app, at <c>/api/dashboard/...</c>. Every response carries a Content-Security-Policy that allows
/// only the dashboard's own scripts, styles and API (no inline script, no other origin).
/// </summary>
public sealed class DashboardEndpoint(DashboardFiles files)
{
    /// <summary>The policy sent with every dashboard response.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>
    /// <c>GET dashboard/{*path}</c>: the file at <paramref name="path"/> (empty = <c>index.html</c>). The
    /// dashboard's root without its trailing slash is redirected to it, so that the page's relative
    /// links resolve below it.
    /// </summary>
    public Task<IResult> GetAsync(HttpRequest request, string? path, CancellationToken cancellationToken)
    {
        var relative = path?.Trim('/') ?? "";
        var response = request.HttpContext.Response;
        SetSecurityHeaders(response.Headers);
        if (relative.Length == 0 && !request.Path.Value!.EndsWith('/'))
        {
            return Task.FromResult(Results.Redirect(request.PathBase + request.Path + "/" + request.QueryString));
        }

        var file = files.Find(relative.Length == 0 ? "index.html" : relative);
        if (file is null)
        {
            return Task.FromResult(ApiProblems.NotFound("no such dashboard file"));
        }

        response.Headers.ETag = file.ETag;
        response.Headers.CacheControl = "no-cache";
        if (request.Headers.IfNoneMatch.Contains(file.ETag))
        {
            return Task.FromResult(Results.StatusCode(StatusCodes.Status304NotModified));
        }

        return Task.FromResult(Results.Bytes(file.Content, file.ContentType));
    }

    private static void SetSecurityHeaders(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }
}
