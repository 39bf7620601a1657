using System.IO.Compression;
using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// <c>GET reference/{*path}</c> (public, like the dashboard: the page holds no data and every call it
/// tries needs the admin token): the browsable API reference of <c>/api/openapi.json</c>, rendered by
/// Scalar's standalone script. The script is the one the <c>Scalar.AspNetCore</c> package ships (its
/// embedded <c>scalar.js</c>), served by this route so that the Functions app, which has no endpoint
/// routing for <c>MapScalarApiReference</c>, serves the page exactly as the server does.
/// </summary>
public sealed class ApiReferenceEndpoint
{
    /// <summary>Scalar injects its styles and loads its fonts; scripts only from here; calls only to this origin.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data: https://fonts.scalar.com; " +
        "connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string ScalarResource = "ScalarStaticAssets.scalar.js";

    private static readonly Lazy<byte[]?> Scalar = new(ReadScalar);

    private static readonly Dictionary<string, (string Resource, string ContentType)> OwnFiles = new(StringComparer.Ordinal)
    {
        [""] = ("api-reference/index.html", "text/html; charset=utf-8"),
        ["index.html"] = ("api-reference/index.html", "text/html; charset=utf-8"),
        ["reference.js"] = ("api-reference/reference.js", "text/javascript; charset=utf-8"),
    };

    public IResult Get(HttpRequest request, string? path)
    {
        var relative = path?.Trim('/') ?? "";
        var headers = request.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (relative.Length == 0 && !request.Path.Value!.EndsWith('/'))
        {
            return Results.Redirect(request.PathBase + request.Path + "/" + request.QueryString);
        }

        if (relative == "scalar.js")
        {
            return Scalar.Value is { } script
                ? Results.Bytes(script, "text/javascript; charset=utf-8")
                : ApiProblems.NotFound($"the Scalar.AspNetCore assembly has no {ScalarResource}");
        }

        return OwnFiles.TryGetValue(relative, out var file) && Read(typeof(ApiReferenceEndpoint).Assembly, file.Resource, gzip: false) is { } bytes
            ? Results.Bytes(bytes, file.ContentType)
            : ApiProblems.NotFound("no such API reference file");
    }

    private static byte[]? ReadScalar() => Read(typeof(Scalar.AspNetCore.ScalarOptions).Assembly, ScalarResource, gzip: true);

    private static byte[]? Read(Assembly assembly, string name, bool gzip)
    {
        using var stream = assembly.GetManifestResourceStream(name);
        if (stream is null)
        {
            return null;
        }

        using var content = gzip ? new GZipStream(stream, CompressionMode.Decompress) : stream;
        using var copy = new MemoryStream();
        content.CopyTo(copy);
        return copy.ToArray();
    }
}
