namespace JobQueue.HttpJobs;

/// <summary>
/// The secret values resolved for one call, and their removal from any text that leaves the call
/// (response excerpts, error messages): a server that echoes a header cannot put the key into a job's
/// output, its error or a log line.
/// </summary>
public sealed class SecretRedactor
{
    public const string Mask = "[redacted]";

    /// <summary>Values shorter than this are not searched for (they would mask ordinary text).</summary>
    private const int MinLength = 4;

    private readonly List<string> values = [];

    public void Add(string value)
    {
        if (value.Length >= MinLength && !values.Contains(value, StringComparer.Ordinal))
        {
            values.Add(value);
            values.Sort((a, b) => b.Length.CompareTo(a.Length));
        }
    }

    public string Redact(string text)
    {
        foreach (var value in values)
        {
            text = text.Replace(value, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
