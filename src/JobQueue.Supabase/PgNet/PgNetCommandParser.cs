using System.Text.Json;

namespace JobQueue.PgNet;

/// <summary>A parsed <c>net.http_post(...)</c> / <c>net.http_get(...)</c> call: its arguments by name or position.</summary>
public sealed record PgNetCall(string Function, IReadOnlyList<KeyValuePair<string?, SqlValue>> Arguments);

/// <summary>
/// Reads a pg_cron command of the form <c>[SELECT | PERFORM] net.http_post(...) [AS alias] [;]</c> whose
/// arguments are constant expressions: string and number constants, <c>||</c>, casts,
/// <c>jsonb_build_object</c> / <c>json_build_object</c> / <c>*_build_array</c>, <c>concat</c>,
/// <c>'{...}'::jsonb</c>, and secret lookups: a function whose name contains "secret" with one string
/// argument (<c>public.get_secret('service_role_key')</c>), <c>current_setting('app.x')</c>, or a
/// sub-select <c>(SELECT col FROM table WHERE name = 'x')</c> (Supabase Vault's <c>vault.decrypted_secrets</c>,
/// a <c>cron_secrets</c> table). Anything else becomes <see cref="SqlUnsupported"/> with the reason; a
/// command of another shape is refused with <see cref="FormatException"/>.
/// </summary>
public sealed class PgNetCommandParser
{
    private readonly List<SqlToken> tokens;
    private int at;

    private PgNetCommandParser(string command) => tokens = SqlTokenizer.Tokenize(command);

    private SqlToken Next => tokens[at];

    public static PgNetCall Parse(string command)
    {
        var parser = new PgNetCommandParser(command);
        return parser.ParseCommand();
    }

    private PgNetCall ParseCommand()
    {
        if (Next.Is("select") || Next.Is("perform"))
        {
            at++;
        }

        var name = QualifiedName();
        var function = name switch
        {
            "net.http_post" or "http_post" => "http_post",
            "net.http_get" or "http_get" => "http_get",
            _ => throw new FormatException($"the command does not start with a net.http_post or net.http_get call ({name})"),
        };
        Expect("(");
        var arguments = new List<KeyValuePair<string?, SqlValue>>();
        while (!Next.Is(")"))
        {
            string? argument = null;
            if (Next.Kind == SqlTokenKind.Identifier && (tokens[at + 1].Is(":=") || tokens[at + 1].Is("=>")))
            {
                argument = Next.Text;
                at += 2;
            }

            arguments.Add(new(argument, Expression()));
            if (!Next.Is(")"))
            {
                Expect(",");
            }
        }

        at++;
        if (Next.Is("as"))
        {
            at += 2;
        }
        else if (Next.Kind == SqlTokenKind.Identifier)
        {
            at++;
        }

        while (Next.Is(";"))
        {
            at++;
        }

        if (Next.Kind != SqlTokenKind.End)
        {
            throw new FormatException("the command does more than one net.http_* call");
        }

        return new PgNetCall(function, arguments);
    }

    private SqlValue Expression()
    {
        var left = Cast();
        while (Next.Is("||"))
        {
            at++;
            left = Concatenate(left, Cast());
        }

        return left;
    }

    private static SqlValue Concatenate(SqlValue left, SqlValue right)
    {
        if (left.Unsupported is not null)
        {
            return left;
        }

        if (right.Unsupported is not null)
        {
            return right;
        }

        if (left is SqlObject a && right is SqlObject b)
        {
            return a.Merge(b);
        }

        return left.AsText() is { } l && right.AsText() is { } r ? l.Concat(r) : new SqlUnsupported("|| of values other than text or JSON objects");
    }

    private SqlValue Cast()
    {
        var value = Primary();
        while (Next.Is("::"))
        {
            at++;
            var type = QualifiedName();
            if (Next.Is("["))
            {
                Expect("[");
                Expect("]");
                type += "[]";
            }

            value = CastTo(value, type);
        }

        return value;
    }

    private static SqlValue CastTo(SqlValue value, string type)
    {
        if (type is not ("jsonb" or "json"))
        {
            return value;
        }

        if (value is SqlText { IsLiteral: true } text)
        {
            try
            {
                using var doc = JsonDocument.Parse(text.LiteralText);
                return FromJson(doc.RootElement);
            }
            catch (JsonException)
            {
                return new SqlUnsupported("a ::jsonb constant that is not valid JSON");
            }
        }

        return value is SqlText ? new SqlUnsupported("JSON built from a secret by a cast") : value;
    }

    private SqlValue Primary()
    {
        var token = Next;
        switch (token.Kind)
        {
            case SqlTokenKind.Text:
                at++;
                return SqlText.Literal(token.Text);
            case SqlTokenKind.Number:
                at++;
                return new SqlNumber(token.Text);
            case SqlTokenKind.Symbol when token.Text == "-" && tokens[at + 1].Kind == SqlTokenKind.Number:
                at += 2;
                return new SqlNumber("-" + tokens[at - 1].Text);
            case SqlTokenKind.Symbol when token.Text == "(":
                at++;
                var inner = Next.Is("select") ? SubSelect() : Expression();
                Expect(")");
                return inner;
            case SqlTokenKind.Identifier when token.Text is "true" or "false":
                at++;
                return new SqlBoolean(token.Text == "true");
            case SqlTokenKind.Identifier when token.Text == "null":
                at++;
                return SqlValue.Null;
            case SqlTokenKind.Identifier:
                var name = QualifiedName();
                return Next.Is("(") ? Call(name) : new SqlUnsupported($"{name} is read when the command runs");
            default:
                throw new FormatException($"unexpected {Describe(token)}");
        }
    }

    private SqlValue Call(string name)
    {
        Expect("(");
        var args = new List<SqlValue>();
        while (!Next.Is(")"))
        {
            args.Add(Expression());
            if (!Next.Is(")"))
            {
                Expect(",");
            }
        }

        at++;
        var bare = name[(name.LastIndexOf('.') + 1)..];
        return bare switch
        {
            "jsonb_build_object" or "json_build_object" => BuildObject(args),
            "jsonb_build_array" or "json_build_array" => new SqlArray(args),
            "to_jsonb" or "to_json" when args.Count == 1 => args[0],
            "concat" => args.Where(a => a is not SqlNull).Aggregate((SqlValue)SqlText.Literal(""), Concatenate),
            "current_setting" when args.Count is 1 or 2 && args[0] is SqlText { IsLiteral: true } setting =>
                new SqlText([new SecretLookup("current_setting", setting.LiteralText)]),
            _ when bare.Contains("secret", StringComparison.Ordinal) && args is [SqlText { IsLiteral: true } secret] =>
                new SqlText([new SecretLookup(name, secret.LiteralText)]),
            _ => new SqlUnsupported($"{name}(...) is computed when the command runs"),
        };
    }

    private static SqlValue BuildObject(List<SqlValue> args)
    {
        if (args.Count % 2 != 0)
        {
            return new SqlUnsupported("jsonb_build_object with an odd number of arguments");
        }

        var entries = new List<KeyValuePair<string, SqlValue>>();
        for (var i = 0; i < args.Count; i += 2)
        {
            if (args[i] is not SqlText { IsLiteral: true } key)
            {
                return new SqlUnsupported("jsonb_build_object with a key that is not a constant");
            }

            entries.Add(new(key.LiteralText, args[i + 1]));
        }

        return new SqlObject(entries);
    }

    /// <summary><c>SELECT col FROM table WHERE name = 'x' [LIMIT n]</c>: a secret lookup named x.</summary>
    private SqlText SubSelect()
    {
        Expect("select");
        QualifiedName();
        Expect("from");
        var table = QualifiedName();
        Expect("where");
        var column = QualifiedName();
        Expect("=");
        var key = Next;
        if (key.Kind != SqlTokenKind.Text || column[(column.LastIndexOf('.') + 1)..] is not ("name" or "key" or "id"))
        {
            throw new FormatException("a sub-select other than SELECT <value> FROM <table> WHERE name = '<secret>'");
        }

        at++;
        if (Next.Is("limit"))
        {
            at += 2;
        }

        return new SqlText([new SecretLookup(table, key.Text)]);
    }

    private string QualifiedName()
    {
        var name = ExpectIdentifier();
        while (Next.Is("."))
        {
            at++;
            name += "." + ExpectIdentifier();
        }

        return name;
    }

    private string ExpectIdentifier()
    {
        if (Next.Kind != SqlTokenKind.Identifier)
        {
            throw new FormatException($"expected a name, found {Describe(Next)}");
        }

        return tokens[at++].Text;
    }

    private void Expect(string symbol)
    {
        if (!Next.Is(symbol))
        {
            throw new FormatException($"expected '{symbol}', found {Describe(Next)}");
        }

        at++;
    }

    /// <summary>A token for an error message: never a string constant's value (it may be a key).</summary>
    private static string Describe(SqlToken token) => token.Kind switch
    {
        SqlTokenKind.Text => "a string constant",
        SqlTokenKind.End => "the end of the command",
        _ => $"'{(token.Text.Length > 40 ? token.Text[..40] : token.Text)}'",
    };

    private static SqlValue FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => new SqlObject(e.EnumerateObject().Select(p => new KeyValuePair<string, SqlValue>(p.Name, FromJson(p.Value))).ToList()),
        JsonValueKind.Array => new SqlArray(e.EnumerateArray().Select(FromJson).ToList()),
        JsonValueKind.String => SqlText.Literal(e.GetString()!),
        JsonValueKind.Number => new SqlNumber(e.GetRawText()),
        JsonValueKind.True => new SqlBoolean(true),
        JsonValueKind.False => new SqlBoolean(false),
        _ => SqlValue.Null,
    };
}
