using System.Reflection;

namespace JobQueue.Database;

/// <summary>
/// A module's own migration set, registered with <c>JobQueueBuilder.AddModuleSchema</c> and applied by
/// <see cref="DatabaseMigrator"/> after the engine's set, under the same advisory lock, in the app
/// database only. Its files are embedded in the module's assembly under <paramref name="resourcePrefix"/>
/// with the engine's layout (Database/Schema/README.md, "Modules"):
/// <list type="bullet">
/// <item><c>versioned/NNNN_*.sql</c>: run once each, in name order, journaled in <c>&lt;schema&gt;.schema_versions</c>.</item>
/// <item><c>functions/*.sql</c>: one function a file, in name order, applied when its text changed
/// (journal <c>&lt;schema&gt;.schema_files</c>), all of them after a versioned script ran.</item>
/// <item><c>grants.sql</c>: applied after the functions whenever anything was applied; it calls
/// <c>jobqueue.lock_down_module(schema, functions)</c>, which gives <c>jobqueue_app</c> EXECUTE on the listed functions only.</item>
/// </list>
/// Everything the set creates lives in its own <paramref name="schema"/>, never in <c>jobqueue</c> or <c>public</c>.
/// </summary>
public sealed class ModuleSchema
{
    /// <summary>The module's versioned scripts' journal, in its schema.</summary>
    public const string VersionsJournal = "schema_versions";

    /// <summary>The module's repeatable files' journal (a SHA-256 per file), in its schema.</summary>
    public const string FilesJournal = "schema_files";

    /// <summary>
    /// The comment JobQueue puts on a module's schema when it makes it: a schema of that name without it
    /// is a team's own, and the migration refuses to take it over (SQLSTATE JQM02) rather than lock it down.
    /// </summary>
    public const string SchemaComment = "JobQueue module schema: made and managed by the JobQueue migrations";

    private readonly Lazy<IReadOnlyDictionary<string, string>> files;

    public ModuleSchema(string schema, Assembly assembly, string resourcePrefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schema);
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentException.ThrowIfNullOrWhiteSpace(resourcePrefix);
        if (schema is DatabaseMigrator.Schema or "public" || !schema.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
        {
            throw new ArgumentException($"a module's schema is its own, in lower case letters, digits and '_' (not {schema})", nameof(schema));
        }

        Schema = schema;
        files = new(() => SchemaFiles.LoadEmbedded(assembly, resourcePrefix));
    }

    /// <summary>The module's own PostgreSQL schema, e.g. <c>game_platform</c>.</summary>
    public string Schema { get; }

    /// <summary>The versioned scripts, in the order they run.</summary>
    public IReadOnlyList<SchemaFile> Versioned => Select("versioned/", prefixed: false);

    /// <summary>The repeatable files: the functions in name order, then <c>grants.sql</c>.</summary>
    public IReadOnlyList<SchemaFile> Repeatable =>
        [.. Select("functions/", prefixed: true), new SchemaFile("grants.sql", files.Value.TryGetValue("grants.sql", out var grants)
            ? grants
            : throw new InvalidOperationException($"the module schema {Schema} embeds no grants.sql"))];

    private List<SchemaFile> Select(string folder, bool prefixed) =>
        files.Value
            .Where(f => f.Key.StartsWith(folder, StringComparison.Ordinal) && f.Key.EndsWith(".sql", StringComparison.Ordinal))
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => new SchemaFile(prefixed ? f.Key : f.Key[folder.Length..], f.Value))
            .ToList();
}
