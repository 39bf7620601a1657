using System.Text;
using System.Text.Json;

namespace JobQueue.Api;

/// <summary>
/// The App Service Authentication principal from <c>x-ms-client-principal</c>: base64 JSON
/// <c>{"auth_typ","name_typ","role_typ","claims":[{"typ","val"}]}</c>.
/// </summary>
public sealed record ClientPrincipal(string Name, IReadOnlyList<string> Roles)
{
    public const string HeaderName = "x-ms-client-principal";
    private const int MaxHeaderLength = 16 * 1024;

    public static ClientPrincipal? TryParse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || header.Length > MaxHeaderLength)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header.Trim())));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var roleType = StringProperty(root, "role_typ") ?? "roles";
            var nameType = StringProperty(root, "name_typ") ?? "name";
            var roles = new List<string>();
            string? name = null;
            foreach (var claim in claims.EnumerateArray())
            {
                var typ = claim.ValueKind == JsonValueKind.Object ? StringProperty(claim, "typ") : null;
                var val = claim.ValueKind == JsonValueKind.Object ? StringProperty(claim, "val") : null;
                if (typ is null || val is null)
                {
                    continue;
                }

                if (typ == roleType || typ == "roles" || typ == "http://schemas.microsoft.com/ws/2008/06/identity/claims/role")
                {
                    roles.Add(val);
                }
                else if (name is null && (typ == nameType || typ == "preferred_username"))
                {
                    name = val;
                }
            }

            return new ClientPrincipal(name ?? "unknown", roles);
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static string? StringProperty(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}
