using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace JobQueue.Database;

/// <summary>Which database a migration run is for.</summary>
public enum SchemaSet
{
    /// <summary>The app database: everything.</summary>
    App,

    /// <summary>pg_cron's database (<c>cron.database_name</c>) when it is another one: the <c>shared</c> and <c>cron</c> parts only.</summary>
    Cron,
}

/// <summary>One SQL file of Database/Schema (embedded), named by its path there, e.g. <c>functions/runner/job_queue_claim.sql</c>.</summary>
public sealed record SchemaFile(string Name, string Sql)
{
    /// <summary>The SHA-256 of the file's text: what the journal of repeatable files compares.</summary>
    public string Hash { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));
}

/// <summary>
/// The schema as code, read from the files under Database/Schema that are embedded in this assembly
/// (see Database/Schema/README.md for the layout and the rules):
/// <list type="bullet">
/// <item><c>versioned/NNNN_*.sql</c>: run once each, in name order (the baseline, then changes to
/// tables and data); a name with <c>_shared_</c> or <c>_cron_</c> belongs to pg_cron's database too.</item>
/// <item><c>functions/&lt;folder&gt;/*.sql</c>: one function (or a small family) a file, always its
/// current text, applied when it changed, folders in the order of <c>functions/order.txt</c>;
/// the folders <c>shared</c> and <c>cron</c> belong to pg_cron's database too.</item>
/// <item><c>public_wrappers.sql</c> (only when asked) and <c>grants.sql</c>: applied after the functions.</item>
/// </list>
/// </summary>
public static class SchemaFiles
{
    /// <summary>The logical name prefix of the embedded schema files (JobQueue.csproj).</summary>
    public const string ResourcePrefix = "jobqueue-schema/";

    private static readonly string[] CronFolders = ["shared", "cron"];

    private static readonly Lazy<IReadOnlyDictionary<string, string>> All = new(Load);

    /// <summary>The versioned scripts of a set, in the order they run.</summary>
    public static IReadOnlyList<SchemaFile> Versioned(SchemaSet set) =>
        All.Value
            .Where(f => f.Key.StartsWith("versioned/", StringComparison.Ordinal) && f.Key.EndsWith(".sql", StringComparison.Ordinal))
            .Where(f => set == SchemaSet.App || f.Key.Contains("_shared_", StringComparison.Ordinal) || f.Key.Contains("_cron_", StringComparison.Ordinal))
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => new SchemaFile(f.Key["versioned/".Length..], f.Value))
            .ToList();

    /// <summary>The function files of a set, in the order they are applied.</summary>
    public static IReadOnlyList<SchemaFile> Functions(SchemaSet set)
    {
        var folders = FunctionFolders();
        var unlisted = All.Value.Keys
            .Where(k => k.StartsWith("functions/", StringComparison.Ordinal) && k.EndsWith(".sql", StringComparison.Ordinal))
            .Select(k => k.Split('/')[1])
            .Where(folder => !folders.Contains(folder))
            .ToList();
        if (unlisted.Count > 0)
        {
            throw new InvalidOperationException($"functions/{unlisted[0]} is not listed in functions/order.txt");
        }

        return folders
            .Where(folder => set == SchemaSet.App || CronFolders.Contains(folder))
            .SelectMany(folder => All.Value
                .Where(f => f.Key.StartsWith($"functions/{folder}/", StringComparison.Ordinal) && f.Key.EndsWith(".sql", StringComparison.Ordinal))
                .OrderBy(f => f.Key, StringComparer.Ordinal))
            .Select(f => new SchemaFile(f.Key, f.Value))
            .ToList();
    }

    /// <summary><c>grants.sql</c>: the lock-down and the app role's EXECUTE list.</summary>
    public static SchemaFile Grants => Get("grants.sql");

    /// <summary>
    /// The compatibility wrappers in <c>public</c>: <c>public_wrappers.sql</c> when asked, otherwise
    /// the call that removes the wrappers JobQueue made (and nothing else).
    /// </summary>
    public static SchemaFile PublicWrappers(bool wanted) =>
        wanted ? Get("public_wrappers.sql") : new SchemaFile("public_wrappers.sql", "CALL jobqueue.create_compat_wrappers(ARRAY[]::text[]);");

    private static SchemaFile Get(string name) =>
        All.Value.TryGetValue(name, out var sql) ? new SchemaFile(name, sql) : throw new InvalidOperationException($"schema file {name} is not embedded");

    private static List<string> FunctionFolders() =>
        Get("functions/order.txt").Sql.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToList();

    private static Dictionary<string, string> Load() => LoadEmbedded(typeof(SchemaFiles).Assembly, ResourcePrefix);

    /// <summary>The embedded files of <paramref name="assembly"/> whose logical name starts with <paramref name="prefix"/>, by their path after it.</summary>
    internal static Dictionary<string, string> LoadEmbedded(Assembly assembly, string prefix)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var name = resource.Replace('\\', '/');
            if (!name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            files[name[prefix.Length..]] = Read(assembly, resource);
        }

        return files;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
