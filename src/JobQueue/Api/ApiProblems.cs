using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// RFC 7807 problem+json responses. Validation problems carry <c>errors</c> keyed by the field
/// (camelCase) and a <c>detail</c> that says the reason.
/// </summary>
public static class ApiProblems
{
    private const string ContentTypeHeader = "Content-Type";

    public static IResult Validation(string field, string reason) =>
        Validation(new Dictionary<string, string[]> { [field] = [reason] });

    public static IResult Validation(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(
            errors,
            detail: string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")),
            title: "The request is invalid");

    /// <summary>A handler's payload errors, each under <paramref name="prefix"/> + its field.</summary>
    public static IResult Validation(IEnumerable<JobQueue.Runner.PayloadError> errors, string prefix) =>
        Validation(errors
            .GroupBy(e => prefix + e.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray()));

    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Conflict(string detail) => Problem(StatusCodes.Status409Conflict, "Conflict", detail);

    public static IResult PayloadTooLarge(int maxBytes) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"the request body must be at most {maxBytes} bytes");

    /// <summary>415 naming the <c>Content-Type</c> header in <c>errors</c>, with <paramref name="reason"/>.</summary>
    public static IResult UnsupportedMediaType(string reason) =>
        Results.ValidationProblem(
            new Dictionary<string, string[]> { [ContentTypeHeader] = [reason] },
            detail: $"{ContentTypeHeader} {reason}",
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported media type");

    /// <summary>401 with a <c>WWW-Authenticate</c> challenge.</summary>
    public static IResult Unauthorized(HttpRequest request, string detail)
    {
        request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"jobqueue\"";
        return Problem(StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    public static IResult Forbidden(string detail) => Problem(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static IResult Unavailable(string detail) => Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable", detail);

    public static IResult Problem(int statusCode, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: statusCode, title: title);
}
