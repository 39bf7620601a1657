namespace JobQueue.PgNet;

/// <summary>
/// Tells a pg_net job from a command that only mentions pg_net: the pg_net migration lists and converts
/// only commands that are one <c>net.http_post</c> / <c>net.http_get</c> call (what
/// <see cref="PgNetCommandParser"/> then reads), never one that does something else as well.
/// </summary>
public static class PgNetCommandShape
{
    /// <summary>
    /// Whether <paramref name="command"/> is one top-level statement that is a <c>net.http_post(...)</c> or
    /// <c>net.http_get(...)</c> call: <c>[SELECT | PERFORM] net.http_*( ... ) [[AS] alias] [;]</c>, whatever
    /// its arguments. A call named only in a comment or a string, a second statement, or anything around
    /// the call (<c>FROM</c>, <c>UNION</c>, another column) is not.
    /// </summary>
    public static bool IsSingleCall(string command)
    {
        List<SqlToken> tokens;
        try
        {
            tokens = SqlTokenizer.Tokenize(command, lenient: true);
        }
        catch (FormatException)
        {
            return false;
        }

        var at = tokens[0].Is("select") || tokens[0].Is("perform") ? 1 : 0;
        if (at + 3 >= tokens.Count || !tokens[at].Is("net") || !tokens[at + 1].Is(".")
            || !(tokens[at + 2].Is("http_post") || tokens[at + 2].Is("http_get")) || !tokens[at + 3].Is("("))
        {
            return false;
        }

        at += 3;
        var depth = 0;
        do
        {
            if (tokens[at].Kind == SqlTokenKind.End)
            {
                return false;
            }

            depth += tokens[at].Is("(") ? 1 : tokens[at].Is(")") ? -1 : 0;
            at++;
        }
        while (depth > 0);

        if (tokens[at].Is("as"))
        {
            at++;
        }

        if (tokens[at].Kind == SqlTokenKind.Identifier)
        {
            at++;
        }

        while (tokens[at].Is(";"))
        {
            at++;
        }

        return tokens[at].Kind == SqlTokenKind.End;
    }
}
