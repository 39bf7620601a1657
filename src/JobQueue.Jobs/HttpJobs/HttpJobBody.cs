using System.Security.Cryptography;
using System.Text;

namespace JobQueue.HttpJobs;

/// <summary>
/// An HTTP job's response body as it is kept: its size and SHA-256 always (of at most
/// <see cref="MaxReadBytes"/>, where reading stops), and its text only when the job keeps the body
/// (<see cref="HttpJobRequest.KeepBody"/>: by default unless the request carried a secret). Kept text is
/// redacted (every form of every secret, <see cref="SecretRedactor"/>) over a window longer than what is
/// kept (<see cref="TextWindowBytes"/>) before it is cut to <see cref="HttpRequestHandler.MaxBodyBytes"/>
/// characters, so that no cut leaves part of a secret behind.
/// </summary>
public sealed record HttpJobBody(string? Text, bool Truncated, long Bytes, string Sha256)
{
    /// <summary>The most of a body that is read (hashed, measured, searched for secrets).</summary>
    public const int MaxReadBytes = 1024 * 1024;

    /// <summary>The start of a kept body that is redacted before it is cut: room for any encoded header value past the cut.</summary>
    public const int TextWindowBytes = HttpRequestHandler.MaxBodyBytes + 4 * HttpRequestRules.MaxHeaderValueLength;

    /// <summary>
    /// Reads the body, for at most <paramref name="timeout"/> (a status has arrived; a body that does not
    /// is taken as far as it came). <paramref name="keep"/> null: the text is not kept.
    /// </summary>
    public static async Task<HttpJobBody> ReadAsync(HttpResponseMessage response, TimeSpan timeout, SecretRedactor? keep, CancellationToken cancellationToken)
    {
        using var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        readTimeout.CancelAfter(timeout);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var kept = keep is null ? null : new MemoryStream();
        var buffer = new byte[16 * 1024];
        var length = 0L;
        var more = false;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(readTimeout.Token);
            int n;
            while ((n = await stream.ReadAsync(buffer, readTimeout.Token)) > 0)
            {
                var take = (int)Math.Min(n, MaxReadBytes - length);
                hash.AppendData(buffer, 0, take);
                kept?.Write(buffer, 0, (int)Math.Clamp(TextWindowBytes - kept.Length, 0, take));
                length += take;
                if (take < n)
                {
                    more = true;
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // the status has arrived; a body that does not is reported as far as it came
        }
        catch (HttpRequestException)
        {
            // the same for a connection closed in the middle of the body
        }

        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (keep is null || kept is null)
        {
            return new HttpJobBody(null, more, length, sha256);
        }

        var text = keep.Redact(Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length));
        return text.Length > HttpRequestHandler.MaxBodyBytes
            ? new HttpJobBody(text[..HttpRequestHandler.MaxBodyBytes], true, length, sha256)
            : new HttpJobBody(text, more, length, sha256);
    }

    /// <summary>A success's output: <c>{status, durationMs, requests, body, bodyTruncated, bodyBytes, bodySha256}</c>, without <c>body</c> when not kept.</summary>
    public object Output(int status, long durationMs, int requests) => Text is null
        ? new { status, durationMs, requests, bodyKept = false, bodyBytes = Bytes, bodySha256 = Sha256 }
        : new { status, durationMs, requests, body = Text, bodyTruncated = Truncated, bodyBytes = Bytes, bodySha256 = Sha256 };

    /// <summary>What an error message says of the body: its first <paramref name="max"/> characters, or its size and hash.</summary>
    public string Excerpt(int max) => Text is null
        ? $"(body of {Bytes} bytes, SHA-256 {Sha256}, not kept: keepBody is false, its default when a header carries a secret)"
        : Text.Length > max ? Text[..max] : Text;
}
