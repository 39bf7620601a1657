using Microsoft.AspNetCore.Http;

namespace JobQueue.Api;

/// <summary>An authentication outcome: the caller's name (for audit columns) or the 401/403/503 to return.</summary>
public sealed record AuthResult(string Actor, IResult? Failure)
{
    public bool Succeeded => Failure is null;

    public static AuthResult Allow(string actor) => new(actor, null);

    public static AuthResult Deny(IResult failure) => new("", failure);
}

/// <summary>An authenticated request with its JSON body read: <see cref="Fields"/> null means <see cref="Failure"/> is the response.</summary>
public sealed record AuthenticatedBody(string Actor, RequestFields? Fields, IResult? Failure)
{
    /// <summary>Authenticates first (so that unauthenticated callers learn nothing about the body rules), then reads the body.</summary>
    public static async Task<AuthenticatedBody> ReadAsync(Task<AuthResult> authentication, HttpRequest request, CancellationToken cancellationToken)
    {
        var caller = await authentication;
        if (!caller.Succeeded)
        {
            return new AuthenticatedBody("", null, caller.Failure);
        }

        var (fields, error) = await JsonBody.ReadAsync(request, cancellationToken);
        return new AuthenticatedBody(caller.Actor, fields, error);
    }
}
