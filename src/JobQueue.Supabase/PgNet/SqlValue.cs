using System.Globalization;
using System.Text.Json.Nodes;

namespace JobQueue.PgNet;

/// <summary>
/// The value of a constant SQL expression in a pg_net command, as far as it can be known without
/// running it: text (literal pieces and secret lookups), numbers, booleans, null, JSON objects and
/// arrays, or "unsupported" with the reason (something only the database knows when the job runs).
/// </summary>
public abstract record SqlValue
{
    public static readonly SqlValue Null = new SqlNull();

    /// <summary>The first reason this value (or a value inside it) cannot be known, else null.</summary>
    public virtual string? Unsupported => null;

    /// <summary>The secret lookups inside this value.</summary>
    public virtual IEnumerable<SecretLookup> Secrets => [];

    /// <summary>The value as JSON; only for values without secrets or unsupported parts.</summary>
    public abstract JsonNode? ToJson();

    /// <summary>The value as text (what <c>||</c> makes of it), or null when it has no text form.</summary>
    public virtual SqlText? AsText() => null;
}

/// <summary>A lookup of a secret in the command (<c>get_secret('name')</c>, <c>vault.decrypted_secrets</c>, <c>current_setting(...)</c>).</summary>
public sealed record SecretLookup(string Source, string Name)
{
    public override string ToString() => $"{Source}('{Name}')";
}

/// <summary>Text: literal pieces and secret lookups, in order.</summary>
public sealed record SqlText(IReadOnlyList<object> Parts) : SqlValue
{
    public static SqlText Literal(string text) => new([text]);

    public bool IsLiteral => Parts.All(p => p is string);

    public string LiteralText => string.Concat(Parts.OfType<string>());

    public override IEnumerable<SecretLookup> Secrets => Parts.OfType<SecretLookup>();

    public override JsonNode? ToJson() => IsLiteral ? JsonValue.Create(LiteralText) : null;

    public override SqlText AsText() => this;

    public SqlText Concat(SqlText other) => new([.. Parts, .. other.Parts]);
}

public sealed record SqlNumber(string Raw) : SqlValue
{
    public override JsonNode? ToJson() => JsonNode.Parse(Raw);

    public override SqlText AsText() => SqlText.Literal(Raw);

    public double Value => double.Parse(Raw, CultureInfo.InvariantCulture);
}

public sealed record SqlBoolean(bool Value) : SqlValue
{
    public override JsonNode? ToJson() => JsonValue.Create(Value);

    public override SqlText AsText() => SqlText.Literal(Value ? "true" : "false");
}

public sealed record SqlNull : SqlValue
{
    public override JsonNode? ToJson() => null;
}

/// <summary>A JSON object (<c>jsonb_build_object</c>, a <c>'{...}'::jsonb</c> literal, or both merged with <c>||</c>).</summary>
public sealed record SqlObject(IReadOnlyList<KeyValuePair<string, SqlValue>> Entries) : SqlValue
{
    public override string? Unsupported => Entries.Select(e => e.Value.Unsupported).FirstOrDefault(u => u is not null);

    public override IEnumerable<SecretLookup> Secrets => Entries.SelectMany(e => e.Value.Secrets);

    public override JsonNode ToJson()
    {
        var o = new JsonObject();
        foreach (var (key, value) in Entries)
        {
            o[key] = value.ToJson();
        }

        return o;
    }

    /// <summary>jsonb's <c>||</c>: the right side's keys replace the left's.</summary>
    public SqlObject Merge(SqlObject other) =>
        new([.. Entries.Where(e => other.Entries.All(o => o.Key != e.Key)), .. other.Entries]);
}

public sealed record SqlArray(IReadOnlyList<SqlValue> Items) : SqlValue
{
    public override string? Unsupported => Items.Select(i => i.Unsupported).FirstOrDefault(u => u is not null);

    public override IEnumerable<SecretLookup> Secrets => Items.SelectMany(i => i.Secrets);

    public override JsonNode ToJson() => new JsonArray([.. Items.Select(i => i.ToJson())]);
}

/// <summary>Something only the database knows when the command runs (<c>now()</c>, a column, another function).</summary>
public sealed record SqlUnsupported(string Reason) : SqlValue
{
    public override string Unsupported => Reason;

    public override JsonNode? ToJson() => null;
}
