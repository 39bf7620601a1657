using System.Text.RegularExpressions;

namespace JobQueue.Tests.Functions;

/// <summary>
/// The trigger functions declared in src/JobQueue.Functions, read from its C# source (the project
/// cannot be compiled where the Worker packages do not restore, so its attributes are parsed).
/// </summary>
internal static partial class FunctionsSource
{
    public const string ProjectDirectory = "src/JobQueue.Functions";

    public sealed record HttpFunction(string Name, string AuthLevel, IReadOnlyList<string> Methods, string? Route, string Signature, string Body);

    public sealed record TimerFunction(string Name, string Schedule, string Options, string Body);

    public static string AllSource() =>
        string.Join("\n", Directory.GetFiles(RepositoryFiles.PathOf(ProjectDirectory), "*.cs", SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText));

    /// <summary>Every <c>[Function("...")]</c> name.</summary>
    public static IReadOnlyList<string> FunctionNames() =>
        FunctionAttribute().Matches(AllSource()).Select(m => m.Groups["name"].Value).ToList();

    public static IReadOnlyList<HttpFunction> HttpFunctions() =>
        HttpFunctionPattern().Matches(AllSource()).Select(m =>
        {
            var args = m.Groups["args"].Value;
            var level = AuthLevel().Match(args);
            var route = Route().Match(args);
            var methods = QuotedString().Matches(Route().Replace(args, "")).Select(q => q.Groups[1].Value.ToUpperInvariant()).ToList();
            return new HttpFunction(
                m.Groups["name"].Value, level.Success ? level.Groups[1].Value : "", methods,
                route.Success ? route.Groups[1].Value : null, m.Groups["signature"].Value, m.Groups["body"].Value);
        }).ToList();

    public static IReadOnlyList<TimerFunction> TimerFunctions() =>
        TimerFunctionPattern().Matches(AllSource()).Select(m => new TimerFunction(
            m.Groups["name"].Value, m.Groups["schedule"].Value, m.Groups["options"].Value, m.Groups["body"].Value)).ToList();

    [GeneratedRegex("""\[Function\("(?<name>[^"]+)"\)\]""")]
    private static partial Regex FunctionAttribute();

    // [Function("Name")] public Task<IResult> M([HttpTrigger(args)] HttpRequest request, ...) => body;
    [GeneratedRegex("""\[Function\("(?<name>[^"]+)"\)\]\s*public\s+[^(]+\(\s*\[HttpTrigger\((?<args>[^\]]*)\)\](?<signature>[^)]*)\)\s*=>\s*(?<body>[^;]+);""")]
    private static partial Regex HttpFunctionPattern();

    [GeneratedRegex("""\[Function\("(?<name>[^"]+)"\)\]\s*public\s+[^(]+\(\s*\[TimerTrigger\("(?<schedule>[^"]*)"(?<options>[^\]]*)\)\][^)]*\)\s*=>\s*(?<body>[^;]+);""")]
    private static partial Regex TimerFunctionPattern();

    [GeneratedRegex("""AuthorizationLevel\.(\w+)""")]
    private static partial Regex AuthLevel();

    [GeneratedRegex("""Route\s*=\s*"([^"]*)"\s*""")]
    private static partial Regex Route();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex QuotedString();
}
