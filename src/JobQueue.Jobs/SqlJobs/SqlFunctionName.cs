using System.Text.RegularExpressions;

namespace JobQueue.SqlJobs;

/// <summary>
/// A function name made of SQL identifiers (letters, digits, underscore; at most 63 characters each),
/// schema-qualified (<c>public</c> when no schema is given). <see cref="Quoted"/> is the only form in
/// which a name ever enters SQL text.
/// </summary>
public sealed partial record SqlFunctionName(string Schema, string Name)
{
    public override string ToString() => $"{Schema}.{Name}";

    /// <summary><c>"schema"."name"</c>.</summary>
    public string Quoted => $"{QuoteIdentifier(Schema)}.{QuoteIdentifier(Name)}";

    public static SqlFunctionName? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parts = text.Trim().Split('.');
        return parts switch
        {
            [var name] when IsIdentifier(name) => new SqlFunctionName("public", name),
            [var schema, var name] when IsIdentifier(schema) && IsIdentifier(name) => new SqlFunctionName(schema, name),
            _ => null,
        };
    }

    public static bool IsIdentifier(string? text) => text is not null && Identifier().IsMatch(text);

    /// <summary>An identifier checked by <see cref="IsIdentifier"/>, double-quoted (it holds no quote to escape).</summary>
    public static string QuoteIdentifier(string identifier) =>
        IsIdentifier(identifier) ? $"\"{identifier}\"" : throw new ArgumentException($"'{identifier}' is not an identifier", nameof(identifier));

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();
}
