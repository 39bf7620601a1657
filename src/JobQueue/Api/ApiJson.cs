using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>The API's JSON conventions: camelCase (<see cref="JsonSerializerDefaults.Web"/>), nulls written.</summary>
public static class ApiJson
{
    /// <remarks>Responses are application/json, never HTML: the relaxed encoder keeps '+' and non-ASCII readable.</remarks>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A 200 (or <paramref name="statusCode"/>) JSON response in the API's conventions.</summary>
    public static IResult Ok(object value, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(value, Options, statusCode: statusCode);
}
