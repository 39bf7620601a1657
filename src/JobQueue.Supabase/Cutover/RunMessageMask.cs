using System.Text.RegularExpressions;

namespace JobQueue.Cutover;

/// <summary>
/// Masks what an old pg_cron run's message might repeat of its command's secrets before it leaves the
/// library: every string literal of the command, and every word in one, of 8 characters or more (a
/// key written into a <c>net.http_post</c> header), and keys in Supabase's shapes (JWTs, <c>sb_secret_</c> / <c>sb_publishable_</c>,
/// as <c>jobqueue.pg_net_mask_keys</c> masks commands); then bounds it to 500 characters.
/// </summary>
public static partial class RunMessageMask
{
    public const string Mask = "[redacted]";
    private const int MinLiteralLength = 8;
    private const int MaxLength = 500;

    public static string? Apply(string? message, string? command)
    {
        if (string.IsNullOrEmpty(message))
        {
            return message;
        }

        foreach (var literal in Literals(command ?? "").OrderByDescending(l => l.Length))
        {
            message = message.Replace(literal, Mask, StringComparison.Ordinal);
        }

        message = SupabaseKey().Replace(Jwt().Replace(message, Mask), Mask);
        return message.Length > MaxLength ? message[..MaxLength] + "…" : message;
    }

    /// <summary>The command's string literals and the words in them (a key inside a JSON header literal), 8 characters or more.</summary>
    private static IEnumerable<string> Literals(string command) =>
        SqlLiteral().Matches(command)
            .Select(m => m.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal))
            .SelectMany(l => Word().Matches(l).Select(w => w.Value).Append(l))
            .Where(l => l.Length >= MinLiteralLength)
            .Distinct(StringComparer.Ordinal);

    [GeneratedRegex("'((?:[^']|'')*)'")]
    private static partial Regex SqlLiteral();

    [GeneratedRegex(@"[^\s""{}:,\[\]]+")]
    private static partial Regex Word();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")]
    private static partial Regex Jwt();

    [GeneratedRegex("sb_(secret|publishable)_[A-Za-z0-9_-]+")]
    private static partial Regex SupabaseKey();
}
