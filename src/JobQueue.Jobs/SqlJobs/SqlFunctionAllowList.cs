using JobQueue.Settings;
using Microsoft.Extensions.Options;

namespace JobQueue.SqlJobs;

/// <summary>
/// The functions of <see cref="SqlJobsOptions.AllowedFunctions"/>. A job names a function as written
/// there or unqualified for <c>public</c>; only a listed name is ever called. Entries that are not
/// <c>schema.name</c> identifiers are ignored (and therefore never callable).
/// </summary>
public sealed class SqlFunctionAllowList(IOptions<SqlJobsOptions> options)
{
    private readonly List<SqlFunctionName> allowed = options.Value.AllowedFunctions
        .SelectMany(ListSetting.Split)
        .Select(SqlFunctionName.Parse)
        .OfType<SqlFunctionName>()
        .Distinct()
        .ToList();

    public IReadOnlyList<SqlFunctionName> All => allowed;

    /// <summary>The listed function <paramref name="text"/> names, or why it may not be called.</summary>
    public (SqlFunctionName? Function, string? Problem) Find(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "is required: schema.name of a function in SqlJobs:AllowedFunctions");
        }

        var name = SqlFunctionName.Parse(text);
        if (name is not null && allowed.Contains(name))
        {
            return (name, null);
        }

        return (null, allowed.Count == 0
            ? "is not allowed: SqlJobs:AllowedFunctions is empty, so jobs may call no function"
            : $"'{(text.Length > 130 ? text[..130] : text)}' is not in SqlJobs:AllowedFunctions");
    }
}
