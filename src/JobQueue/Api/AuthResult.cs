using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>
/// An authentication outcome: the caller's name (for audit columns) or the 401/403/503 to return. A
/// refusal names the caller only when it is known (a signed-in principal without the admin role), so
/// that the audit log records it; otherwise its actor is "".
/// </summary>
public sealed record AuthResult(string Actor, IResult? Failure)
{
    public bool Succeeded => Failure is null;

    public static AuthResult Allow(string actor) => new(actor, null);

    public static AuthResult Deny(IResult failure, string actor = "") => new(actor, failure);
}
