using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// Reads a request body as one JSON object, bounded: 413 when larger than the limit, 415 for a
/// non-JSON content type, 400 for malformed JSON or a body that is not an object. An empty body is
/// an empty object (callers that send no body get the defaults).
/// </summary>
public static class JsonBody
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static async Task<(RequestFields? Fields, IResult? Error)> ReadAsync(
        HttpRequest request, CancellationToken cancellationToken, int maxBytes = ApiLimits.MaxBodyBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, ApiProblems.PayloadTooLarge(maxBytes));
        }

        byte[] bytes;
        try
        {
            bytes = await ReadBoundedAsync(request.Body, maxBytes, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, ApiProblems.PayloadTooLarge(maxBytes));
        }

        if (bytes.Length > maxBytes)
        {
            return (null, ApiProblems.PayloadTooLarge(maxBytes));
        }

        if (IsBlank(bytes))
        {
            return (new RequestFields(EmptyObject), null);
        }

        if (!IsJsonContentType(request.ContentType))
        {
            return (null, ApiProblems.UnsupportedMediaType(request.ContentType));
        }

        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = ApiLimits.MaxJsonDepth });
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return (null, ApiProblems.Validation("body", "is not valid JSON" + where));
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, ApiProblems.Validation("body", "must be a JSON object"));
        }

        return (new RequestFields(root), null);
    }

    /// <summary>A missing content type is accepted (curl without -H); an explicit non-JSON one is not.</summary>
    private static bool IsJsonContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return true;
        }

        var mediaType = contentType.Split(';')[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsBlank(byte[] bytes) => bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n');

    /// <summary>Reads at most <paramref name="maxBytes"/> + 1 bytes, so that an oversized body is detected without reading it all.</summary>
    private static async Task<byte[]> ReadBoundedAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (buffer.Length <= maxBytes)
        {
            var n = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, maxBytes + 1 - buffer.Length)), cancellationToken);
            if (n == 0)
            {
                break;
            }

            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }
}
