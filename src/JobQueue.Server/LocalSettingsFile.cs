using System.Text.Json;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;

namespace JobQueue.Server;

/// <summary>
/// The settings file a local user edits (<c>infra/local/run.sh</c> makes <c>.local/settings.json</c> from
/// <c>local.settings.sample.json</c>), named by <c>JOBQUEUE_SETTINGS_FILE</c>. The Functions host's format is
/// read as such: each key of <c>Values</c> is a setting with <c>__</c> for <c>:</c>, the way the Functions app
/// reads the same file; a file without <c>Values</c> is read as an appsettings JSON. The file sits below
/// environment variables and the command line, so what a script or the shell sets wins over it.
/// </summary>
public static class LocalSettingsFile
{
    /// <summary>The setting (an environment variable, as a rule) that names the file; unset = no file.</summary>
    public const string PathSetting = "JOBQUEUE_SETTINGS_FILE";

    public static void AddLocalSettingsFile(this ConfigurationManager configuration)
    {
        var path = configuration[PathSetting];
        if (string.IsNullOrWhiteSpace(path))
        {
            return;
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{PathSetting} names a settings file that does not exist: {path}", path);
        }

        var source = new MemoryConfigurationSource { InitialData = Read(path) };
        var environment = configuration.Sources.ToList().FindLastIndex(s => s is EnvironmentVariablesConfigurationSource { Prefix: null or "" });
        if (environment < 0)
        {
            configuration.Sources.Add(source);
        }
        else
        {
            configuration.Sources.Insert(environment, source);
        }
    }

    /// <summary>The file's settings as configuration keys (<c>Section:Key</c>) and values.</summary>
    public static IReadOnlyDictionary<string, string?> Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("Values", out var values) && values.ValueKind == JsonValueKind.Object)
        {
            return values.EnumerateObject().ToDictionary(
                p => p.Name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal),
                p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText(),
                StringComparer.OrdinalIgnoreCase);
        }

        return new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path)).Build().AsEnumerable()
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
    }
}
