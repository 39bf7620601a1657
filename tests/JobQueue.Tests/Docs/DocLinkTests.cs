using System.Diagnostics;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Docs;

/// <summary>Every relative link in the repository's tracked Markdown files resolves to a file, and to a heading where it names one.</summary>
public sealed class DocLinkTests
{
    [Fact]
    public void Every_relative_link_in_the_repositorys_markdown_resolves()
    {
        var files = TrackedMarkdownFiles(LocalPostgres.RepoRoot);
        Assert.Contains(files, f => Path.GetRelativePath(LocalPostgres.RepoRoot, f) == "README.md");
        Assert.True(files.Sum(f => MarkdownLinks.Read(f).Count) > 20, "the checker found almost no links: is it reading the files?");

        var broken = MarkdownLinkChecker.BrokenLinks(LocalPostgres.RepoRoot, files);

        Assert.True(broken.Count == 0, "Broken links:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void The_checker_reports_a_missing_file_and_a_missing_heading_and_ignores_code()
    {
        var dir = Directory.CreateTempSubdirectory("doclinks-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "sub"));
            File.WriteAllText(Path.Combine(dir.FullName, "sub", "page.md"), "# The `runner` (operations)\n\n## Flow control\n\n## Flow control\n");
            File.WriteAllText(Path.Combine(dir.FullName, "index.md"), string.Join('\n',
                "[ok](sub/page.md) [ok](sub/page.md#the-runner-operations) [ok](sub/page.md#flow-control-1) [ok](sub/)",
                "[web](https://example.com/x.md) [self](#top) `[code](missing.md)`",
                "# Top",
                "```",
                "[fenced](missing.md)",
                "```",
                "[gone](sub/missing.md) [bad anchor](sub/page.md#flow-control-2)",
                "[ref]: ../outside.md"));

            var broken = MarkdownLinkChecker.BrokenLinks(dir.FullName, [Path.Combine(dir.FullName, "index.md")]);

            Assert.Equal(
                [
                    "index.md:7: sub/missing.md (no such file)",
                    "index.md:7: sub/page.md#flow-control-2 (no such heading)",
                    "index.md:8: ../outside.md (no such file)",
                ],
                broken);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The Markdown files git tracks (untracked drafts, build output and caches are not the repository's
    /// docs); without git (a source archive), every Markdown file outside build output and caches.
    /// </summary>
    private static List<string> TrackedMarkdownFiles(string root)
    {
        var psi = new ProcessStartInfo("git", ["-C", root, "ls-files", "-z", "--", "*.md"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var git = Process.Start(psi)!;
            var output = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            if (git.ExitCode == 0)
            {
                return output.Split('\0', StringSplitOptions.RemoveEmptyEntries)
                    .Select(f => Path.Combine(root, f))
                    .Where(File.Exists)
                    .ToList();
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // no git on this machine
        }

        string[] skipped = ["bin", "obj", "node_modules", ".git", ".local", "TestResults"];
        return Directory.EnumerateFiles(root, "*.md", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(skipped.Contains))
            .ToList();
    }
}
