using JobQueue.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JobQueue.SqlJobs;

/// <summary>Registers the <c>sql_function</c> task type (called by <c>AddJobQueue</c>).</summary>
public static class SqlJobsServiceCollectionExtensions
{
    public static IServiceCollection AddSqlJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SqlJobsOptions>()
            .Bind(configuration.GetSection(SqlJobsOptions.Section))
            .Configure(o => o.AllowedFunctions = [.. ListSetting.Read(configuration, $"{SqlJobsOptions.Section}:{nameof(SqlJobsOptions.AllowedFunctions)}")]);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqlFunctionAllowList>();
        services.TryAddSingleton<SqlFunctionCaller>();
        services.AddJobHandler<SqlFunctionHandler>();
        return services;
    }
}
