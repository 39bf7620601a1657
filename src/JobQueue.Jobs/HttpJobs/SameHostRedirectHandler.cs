using System.Net;
using System.Runtime.CompilerServices;

namespace JobQueue.HttpJobs;

/// <summary>
/// The HTTP jobs' innermost handler. Follows redirects only to the same host (and port; http to https
/// is allowed, https to http is not), at most <see cref="MaxRedirects"/> in a row; a redirect anywhere
/// else is returned as the response, so that the job fails without the request (or its secret
/// headers) reaching another host; so is one the caller's <see cref="MayFollow"/> refuses (a path where
/// the request's secrets may not go). Counts the requests it sends in <see cref="Requests"/>. Sits below
/// the resilience pipeline, and puts the request back as it was, so that every retry starts from the
/// job's own URL.
/// </summary>
public sealed class SameHostRedirectHandler : DelegatingHandler
{
    public const int MaxRedirects = 5;

    /// <summary>A counter of the requests sent for one job attempt (set by the caller).</summary>
    public static readonly HttpRequestOptionsKey<StrongBox<int>> Requests = new("JobQueue.HttpJobs.Requests");

    /// <summary>Whether a redirect to a URL of the same host may be followed (set by the caller; unset: yes).</summary>
    public static readonly HttpRequestOptionsKey<Func<Uri, bool>> MayFollow = new("JobQueue.HttpJobs.MayFollow");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var (url, method, content) = (request.RequestUri!, request.Method, request.Content);
        try
        {
            var response = await SendCountedAsync(request, cancellationToken);
            for (var hop = 0; hop < MaxRedirects && Target(request.RequestUri!, response) is { } next && Allowed(request, next); hop++)
            {
                response.Dispose();
                if (response.StatusCode == HttpStatusCode.SeeOther
                    || (response.StatusCode is HttpStatusCode.Moved or HttpStatusCode.Found && request.Method == HttpMethod.Post))
                {
                    request.Method = HttpMethod.Get;
                    request.Content = null;
                }

                request.RequestUri = next;
                response = await SendCountedAsync(request, cancellationToken);
            }

            return response;
        }
        finally
        {
            (request.RequestUri, request.Method, request.Content) = (url, method, content);
        }
    }

    /// <summary>The redirect's target when it may be followed, else null.</summary>
    public static Uri? Target(Uri from, HttpResponseMessage response)
    {
        if ((int)response.StatusCode is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } location)
        {
            return null;
        }

        var to = location.IsAbsoluteUri ? location : new Uri(from, location);
        var sameHost = string.Equals(to.IdnHost, from.IdnHost, StringComparison.OrdinalIgnoreCase);
        var sameOrigin = to.Scheme == from.Scheme ? to.Port == from.Port : from.Scheme == "http" && to.Scheme == "https";
        return sameHost && sameOrigin ? to : null;
    }

    private static bool Allowed(HttpRequestMessage request, Uri next) =>
        !request.Options.TryGetValue(MayFollow, out var mayFollow) || mayFollow(next);

    private Task<HttpResponseMessage> SendCountedAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(Requests, out var count))
        {
            Interlocked.Increment(ref count.Value);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
