using System.Text;
using System.Text.RegularExpressions;

namespace JobQueue.Tests.Docs;

/// <summary>A relative link written in a Markdown file: the file it is in, its line and its target as written.</summary>
public sealed record MarkdownLink(string File, int Line, string Target);

/// <summary>Reads the links and heading anchors of Markdown files (outside fenced code and inline code), as GitHub renders them.</summary>
public static partial class MarkdownLinks
{
    /// <summary>The relative links of one file (web, mail and same-page-only links included only when they carry an anchor).</summary>
    public static IReadOnlyList<MarkdownLink> Read(string file)
    {
        var links = new List<MarkdownLink>();
        var lineNumber = 0;
        foreach (var line in ProseLines(file))
        {
            lineNumber = line.Number;
            var text = InlineCode().Replace(line.Text, "");
            foreach (Match m in InlineLink().Matches(text))
            {
                Add(m.Groups["target"].Value);
            }

            var reference = ReferenceLink().Match(text);
            if (reference.Success)
            {
                Add(reference.Groups["target"].Value);
            }
        }

        return links;

        void Add(string target)
        {
            target = target.Trim().Trim('<', '>');
            if (target.Length == 0 || ExternalScheme().IsMatch(target))
            {
                return;
            }

            links.Add(new MarkdownLink(file, lineNumber, target));
        }
    }

    /// <summary>The anchors GitHub gives the headings of a Markdown file (lower case, punctuation dropped, spaces as '-', repeats numbered).</summary>
    public static IReadOnlySet<string> Anchors(string file)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in ProseLines(file))
        {
            var heading = Heading().Match(line.Text);
            if (!heading.Success)
            {
                continue;
            }

            var slug = Slug(heading.Groups["text"].Value);
            if (seen.TryGetValue(slug, out var count))
            {
                seen[slug] = count + 1;
                anchors.Add($"{slug}-{count}");
            }
            else
            {
                seen[slug] = 1;
                anchors.Add(slug);
            }
        }

        return anchors;
    }

    /// <summary>GitHub's heading slug: link text kept, markup and punctuation dropped, lower case, each space a hyphen.</summary>
    public static string Slug(string heading)
    {
        var text = HeadingLink().Replace(heading.Trim(), "${text}").ToLowerInvariant();
        var slug = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    private static IEnumerable<(int Number, string Text)> ProseLines(string file)
    {
        var inFence = false;
        var number = 0;
        foreach (var line in File.ReadLines(file))
        {
            number++;
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (!inFence)
            {
                yield return (number, line);
            }
        }
    }

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s*(?<target>\S+)")]
    private static partial Regex ReferenceLink();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex ExternalScheme();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\([^)]*\)")]
    private static partial Regex HeadingLink();
}
