using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace JobQueue.Dashboard;

/// <summary>
/// The dashboard's static files (HTML, CSS, JavaScript modules under <c>Dashboard/wwwroot</c>),
/// embedded in the library as resources named <c>dashboard/&lt;path&gt;</c>: nothing is read from
/// disk or fetched from elsewhere at run time. Each file has its content type and a strong ETag.
/// </summary>
public sealed class DashboardFiles
{
    private const string ResourcePrefix = "dashboard/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".json"] = "application/json",
    };

    private readonly FrozenDictionary<string, DashboardFile> files;

    public DashboardFiles()
    {
        var assembly = typeof(DashboardFiles).Assembly;
        files = assembly.GetManifestResourceNames()
            .Where(n => n.Replace('\\', '/').StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n.Replace('\\', '/')[ResourcePrefix.Length..], n => Load(assembly, n), StringComparer.Ordinal);
    }

    /// <summary>Every file's path relative to the dashboard root, e.g. <c>index.html</c>, <c>assets/app.js</c>.</summary>
    public IEnumerable<string> Paths => files.Keys;

    /// <summary>The file at <paramref name="path"/> (exact, case-sensitive; no other lookup), or null.</summary>
    public DashboardFile? Find(string path) => files.GetValueOrDefault(path);

    private static DashboardFile Load(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..32] + "\"";
        var contentType = ContentTypes.GetValueOrDefault(Path.GetExtension(resourceName), "application/octet-stream");
        return new DashboardFile(content, contentType, etag);
    }
}

/// <summary>One embedded dashboard file.</summary>
public sealed record DashboardFile(byte[] Content, string ContentType, string ETag);
