using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace JobQueue.HttpJobs;

/// <summary>
/// The secret values resolved for one call, and their removal from any text that leaves the call
/// (response bodies kept on request, error messages): a server that echoes a header cannot put the key
/// into a job's output, its error, an attempt row or a log line, neither as it was sent nor encoded.
/// Each value is searched for as it is, reversed, JSON-escaped, URL-encoded (<c>%2B</c> and <c>+</c>
/// forms, either case), in hex (either case), and in base64 and base64url, also where the value sits
/// inside a longer encoded text (the three alignments of base64, see <see cref="Base64Cores"/>).
/// </summary>
public sealed class SecretRedactor
{
    public const string Mask = "[redacted]";

    /// <summary>Values shorter than this are not searched for (they would mask ordinary text).</summary>
    private const int MinLength = 4;

    /// <summary>Every form searched for, longest first (so that no shorter form breaks up a longer one).</summary>
    private readonly List<(string Form, StringComparison Comparison)> forms = [];

    public void Add(string value)
    {
        if (value.Length < MinLength)
        {
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        AddForm(value, StringComparison.Ordinal);
        AddForm(new string(value.Reverse().ToArray()), StringComparison.Ordinal);
        AddForm(JsonEncodedText.Encode(value).ToString(), StringComparison.Ordinal);
        AddForm(JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(), StringComparison.Ordinal);
        AddForm(Uri.EscapeDataString(value), StringComparison.OrdinalIgnoreCase);
        AddForm(WebUtility.UrlEncode(value), StringComparison.OrdinalIgnoreCase);
        AddForm(Convert.ToHexString(bytes), StringComparison.OrdinalIgnoreCase);
        foreach (var core in Base64Cores(bytes))
        {
            AddForm(core, StringComparison.Ordinal);
            AddForm(core.Replace('+', '-').Replace('/', '_'), StringComparison.Ordinal);
        }
    }

    public string Redact(string text)
    {
        foreach (var (form, comparison) in forms)
        {
            text = text.Replace(form, Mask, comparison);
        }

        return text;
    }

    /// <summary>
    /// The base64 characters that depend on <paramref name="bytes"/> alone, for each of the three
    /// offsets (0, 1, 2 bytes mod 3) at which the value may start inside a longer encoded text: what
    /// any base64 encoding containing the value contains, whatever precedes it.
    /// </summary>
    public static IEnumerable<string> Base64Cores(byte[] bytes)
    {
        for (var offset = 0; offset < 3; offset++)
        {
            var padded = new byte[offset + bytes.Length];
            bytes.CopyTo(padded, offset);
            var encoded = Convert.ToBase64String(padded);
            // character i carries bits [6i, 6i + 6): only those entirely within the value's bits
            var first = (8 * offset + 5) / 6;
            var end = 8 * (offset + bytes.Length) / 6;
            if (end - first >= MinLength)
            {
                yield return encoded[first..end];
            }
        }
    }

    private void AddForm(string form, StringComparison comparison)
    {
        if (form.Length >= MinLength && !forms.Contains((form, comparison)))
        {
            forms.Add((form, comparison));
            forms.Sort((a, b) => b.Form.Length.CompareTo(a.Form.Length));
        }
    }
}
