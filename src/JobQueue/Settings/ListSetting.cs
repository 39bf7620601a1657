using Microsoft.Extensions.Configuration;

namespace JobQueue.Settings;

/// <summary>
/// A setting that holds a list, given either as one string separated by commas, semicolons or
/// whitespace (<c>HttpJobs__AllowedHosts="api.example.com,*.example.org"</c>) or as an array
/// (<c>HttpJobs__AllowedHosts__0=...</c>, JSON arrays in appsettings.json); both forms may be mixed.
/// </summary>
public static class ListSetting
{
    private static readonly char[] Separators = [',', ';', ' ', '\t', '\r', '\n'];

    public static IReadOnlyList<string> Read(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        return Split(section.Value)
            .Concat(section.GetChildren().SelectMany(child => Split(child.Value)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    public static IReadOnlyList<string> Split(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
