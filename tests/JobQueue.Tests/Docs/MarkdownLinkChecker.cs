namespace JobQueue.Tests.Docs;

/// <summary>Finds the links of Markdown files that do not resolve: a missing file or directory, or a missing heading anchor in a Markdown target.</summary>
public static class MarkdownLinkChecker
{
    /// <summary>One line per broken link ("file:line: target (why)"), paths relative to <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> BrokenLinks(string root, IEnumerable<string> markdownFiles)
    {
        var broken = new List<string>();
        var anchorCache = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var file in markdownFiles)
        {
            foreach (var link in MarkdownLinks.Read(file))
            {
                var problem = Problem(link, anchorCache);
                if (problem is not null)
                {
                    broken.Add($"{Path.GetRelativePath(root, link.File)}:{link.Line}: {link.Target} ({problem})");
                }
            }
        }

        return broken;
    }

    private static string? Problem(MarkdownLink link, Dictionary<string, IReadOnlySet<string>> anchorCache)
    {
        var hash = link.Target.IndexOf('#', StringComparison.Ordinal);
        var path = Uri.UnescapeDataString(hash < 0 ? link.Target : link.Target[..hash]);
        var anchor = hash < 0 ? null : link.Target[(hash + 1)..];
        var query = path.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            path = path[..query];
        }

        var target = path.Length == 0 ? link.File : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(link.File)!, path));
        if (!File.Exists(target) && !Directory.Exists(target))
        {
            return "no such file";
        }

        if (string.IsNullOrEmpty(anchor) || !target.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || !File.Exists(target))
        {
            return null;
        }

        if (!anchorCache.TryGetValue(target, out var anchors))
        {
            anchors = MarkdownLinks.Anchors(target);
            anchorCache[target] = anchors;
        }

        return anchors.Contains(Uri.UnescapeDataString(anchor).ToLowerInvariant()) ? null : "no such heading";
    }
}
