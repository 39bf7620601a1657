using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace JobQueue.Api;

/// <summary>
/// Reads a request body as one JSON object, bounded: 413 when larger than the limit, 415 unless its
/// <c>Content-Type</c> is <c>application/json</c> (a body without one included: a cross-site form or
/// "simple" request cannot send that type without a CORS preflight), 400 for malformed JSON or a body
/// that is not an object. An empty body is an empty object, whatever its type (callers that send no
/// body get the defaults).
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

        if (ContentTypeProblem(request.ContentType) is { } problem)
        {
            return (null, ApiProblems.UnsupportedMediaType(problem));
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

    /// <summary>Null for <c>application/json</c>, optionally with <c>charset=utf-8</c>; else what is wrong with the header.</summary>
    private static string? ContentTypeProblem(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return "is missing: a request body must be sent with Content-Type: application/json";
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            || !parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return $"must be application/json, not '{Bounded(contentType)}'";
        }

        return parsed.Charset.HasValue && !parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            ? $"must be application/json in UTF-8 (charset=utf-8 or none), not '{Bounded(contentType)}'"
            : null;
    }

    private static string Bounded(string value) => value.Length > 100 ? value[..100] : value;

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
