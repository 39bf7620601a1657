using System.Text;

namespace JobQueue.PgNet;

public enum SqlTokenKind
{
    Identifier,
    Text,
    Number,
    Symbol,
    End,
}

public sealed record SqlToken(SqlTokenKind Kind, string Text)
{
    public bool Is(string symbolOrKeyword) =>
        Kind is SqlTokenKind.Symbol or SqlTokenKind.Identifier && Text.Equals(symbolOrKeyword, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Splits a PostgreSQL command into tokens: identifiers (lower-cased unless quoted), string constants
/// (<c>'...'</c>, <c>E'...'</c>, <c>$tag$...$tag$</c>, their value), numbers, and the symbols a pg_net
/// call uses. Comments (block comments nested, as PostgreSQL reads them) are skipped. Throws
/// <see cref="FormatException"/> on what it cannot read; <c>lenient</c>, any other character is a symbol
/// of its own (for telling a command's shape, <see cref="PgNetCommandShape.IsSingleCall"/>).
/// </summary>
public static class SqlTokenizer
{
    private static readonly string[] Symbols = ["::", ":=", "=>", "||", "(", ")", ",", ".", ";", "=", "[", "]", "-", "+", "*"];

    public static List<SqlToken> Tokenize(string sql, bool lenient = false)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (true)
        {
            i = SkipSpaceAndComments(sql, i);
            if (i >= sql.Length)
            {
                tokens.Add(new SqlToken(SqlTokenKind.End, ""));
                return tokens;
            }

            var c = sql[i];
            if (c == '\'' || ((c is 'E' or 'e') && i + 1 < sql.Length && sql[i + 1] == '\''))
            {
                var escapes = c != '\'';
                i = ReadQuoted(sql, escapes ? i + 1 : i, escapes, out var value);
                tokens.Add(new SqlToken(SqlTokenKind.Text, value));
            }
            else if (c == '$' && DollarTag(sql, i) is { } tag)
            {
                var end = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw new FormatException("unterminated dollar-quoted string");
                }

                tokens.Add(new SqlToken(SqlTokenKind.Text, sql[(i + tag.Length)..end]));
                i = end + tag.Length;
            }
            else if (c == '"')
            {
                var end = sql.IndexOf('"', i + 1);
                if (end < 0)
                {
                    throw new FormatException("unterminated quoted identifier");
                }

                tokens.Add(new SqlToken(SqlTokenKind.Identifier, sql[(i + 1)..end]));
                i = end + 1;
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < sql.Length && char.IsAsciiDigit(sql[i + 1])))
            {
                var start = i;
                while (i < sql.Length && (char.IsAsciiDigit(sql[i]) || sql[i] == '.'))
                {
                    i++;
                }

                if (i < sql.Length && sql[i] is 'e' or 'E')
                {
                    var j = i + 1 < sql.Length && sql[i + 1] is '+' or '-' ? i + 2 : i + 1;
                    if (j < sql.Length && char.IsAsciiDigit(sql[j]))
                    {
                        i = j;
                        while (i < sql.Length && char.IsAsciiDigit(sql[i]))
                        {
                            i++;
                        }
                    }
                }

                tokens.Add(new SqlToken(SqlTokenKind.Number, sql[start..i]));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$'))
                {
                    i++;
                }

                tokens.Add(new SqlToken(SqlTokenKind.Identifier, sql[start..i].ToLowerInvariant()));
            }
            else if (Symbols.FirstOrDefault(s => string.CompareOrdinal(sql, i, s, 0, s.Length) == 0) is { } symbol)
            {
                tokens.Add(new SqlToken(SqlTokenKind.Symbol, symbol));
                i += symbol.Length;
            }
            else if (lenient)
            {
                tokens.Add(new SqlToken(SqlTokenKind.Symbol, c.ToString()));
                i++;
            }
            else
            {
                throw new FormatException($"unexpected character '{c}'");
            }
        }
    }

    private static int SkipSpaceAndComments(string sql, int i)
    {
        while (i < sql.Length)
        {
            if (char.IsWhiteSpace(sql[i]))
            {
                i++;
            }
            else if (string.CompareOrdinal(sql, i, "--", 0, 2) == 0)
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end + 1;
            }
            else if (string.CompareOrdinal(sql, i, "/*", 0, 2) == 0)
            {
                i = SkipBlockComment(sql, i);
            }
            else
            {
                break;
            }
        }

        return i;
    }

    /// <summary>Skips the block comment at <paramref name="i"/> (comments nest); returns the index after it.</summary>
    private static int SkipBlockComment(string sql, int i)
    {
        var depth = 0;
        while (i < sql.Length)
        {
            if (string.CompareOrdinal(sql, i, "/*", 0, 2) == 0)
            {
                depth++;
                i += 2;
            }
            else if (string.CompareOrdinal(sql, i, "*/", 0, 2) == 0)
            {
                i += 2;
                if (--depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        throw new FormatException("unterminated comment");
    }

    /// <summary>Reads <c>'...'</c> from the quote at <paramref name="i"/>; returns the index after it.</summary>
    private static int ReadQuoted(string sql, int i, bool escapes, out string value)
    {
        var text = new StringBuilder();
        i++;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '\'' && i + 1 < sql.Length && sql[i + 1] == '\'')
            {
                text.Append('\'');
                i += 2;
            }
            else if (c == '\'')
            {
                value = text.ToString();
                return i + 1;
            }
            else if (escapes && c == '\\' && i + 1 < sql.Length)
            {
                text.Append(sql[i + 1] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', 'b' => '\b', 'f' => '\f', var other => other });
                i += 2;
            }
            else
            {
                text.Append(c);
                i++;
            }
        }

        throw new FormatException("unterminated string constant");
    }

    private static string? DollarTag(string sql, int i)
    {
        var end = i + 1;
        while (end < sql.Length && (char.IsLetterOrDigit(sql[end]) || sql[end] == '_'))
        {
            end++;
        }

        return end < sql.Length && sql[end] == '$' ? sql[i..(end + 1)] : null;
    }
}
