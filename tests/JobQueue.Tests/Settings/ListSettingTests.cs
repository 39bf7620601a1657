using JobQueue.Tests.Infrastructure;
using JobQueue.HttpJobs;
using JobQueue.Pipelines;
using JobQueue.SqlJobs;
using JobQueue.Tests.Functions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JobQueue.Tests.Settings;

/// <summary>List settings (allowed hosts, secret destinations, allowed functions, cache tags) as one string or as an array, and the sample's ten stats steps.</summary>
public sealed class ListSettingTests
{
    [Fact]
    public void Allow_lists_and_cache_tags_read_both_forms()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HttpJobs:AllowedHosts:0"] = "api.example.com",
            ["HttpJobs:AllowedHosts:1"] = "*.example.net, hooks.example.org",
            ["HttpJobs:SecretDestinations:service-role-key"] = "https://api.example.com/functions/v1/; hooks.example.org",
            ["HttpJobs:SecretDestinations:anon-key:0"] = "api.example.com",
            ["HttpJobs:SecretDestinations:anon-key:1"] = "hooks.example.org, x.example.net",
            ["SqlJobs:AllowedFunctions"] = "public.a;b  stats.c",
            ["Pipelines:StatsUpdate:Steps:0:Name"] = "one",
            ["Pipelines:StatsUpdate:Steps:0:Function"] = "public.one",
            ["Pipelines:StatsUpdate:Steps:0:CacheTags"] = "x, y",
            ["Pipelines:StatsUpdate:Steps:1:Name"] = "two",
            ["Pipelines:StatsUpdate:Steps:1:Function"] = "public.two",
            ["Pipelines:StatsUpdate:Steps:1:CacheTags:0"] = "z",
            ["Pipelines:StatsUpdate:Steps:1:CacheTags:1"] = "y",
        }).Build();
        using var services = Services(config);

        var targets = services.GetRequiredService<HttpTargetPolicy>();
        Assert.Null(targets.Check(new Uri("https://api.example.com/x")));
        Assert.Null(targets.Check(new Uri("https://abc.example.net/functions/v1/x")));
        Assert.Null(targets.Check(new Uri("https://HOOKS.example.org./x")));
        Assert.NotNull(targets.Check(new Uri("https://example.net/x")));
        Assert.NotNull(targets.Check(new Uri("https://evilexample.net/x")));
        Assert.NotNull(targets.Check(new Uri("https://api.example.com.evil.net/x")));

        var destinations = services.GetRequiredService<SecretDestinations>();
        Assert.Equal(new[] { "https://api.example.com/functions/v1/", "hooks.example.org" }, destinations.Of("service-role-key").Select(d => d.ToString()));
        Assert.Equal(new[] { "api.example.com", "hooks.example.org", "x.example.net" }, destinations.Of("ANON-KEY").Select(d => d.ToString()));
        Assert.Empty(destinations.Of("unlisted"));

        var functions = services.GetRequiredService<SqlFunctionAllowList>();
        Assert.Equal(new[] { "public.a", "public.b", "stats.c" }, functions.All.Select(f => f.ToString()));

        var (steps, problems) = StatsUpdateSteps.Read(services.GetRequiredService<IOptions<StatsUpdateOptions>>().Value);
        Assert.Empty(problems);
        Assert.Equal(new[] { "x", "y" }, steps[0].CacheTags);
        Assert.Equal(new[] { "z", "y" }, steps[1].CacheTags);
    }

    [Fact]
    public void The_settings_sample_carries_the_ten_steps_of_the_stats_pipeline()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(RepositoryFiles.Read("local.settings.sample.json"));
        var values = doc.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value.GetString());
        using var services = Services(new ConfigurationBuilder().AddInMemoryCollection(values).Build());

        var (steps, problems) = StatsUpdateSteps.Read(services.GetRequiredService<IOptions<StatsUpdateOptions>>().Value);

        Assert.Empty(problems);
        Assert.Equal(
            new[]
            {
                "update_half_and_full_season_stats", "update_aggregated_all_time_stats", "update_aggregated_hall_of_fame",
                "update_aggregated_recent_performance", "update_aggregated_season_honours_and_records", "update_aggregated_match_report_cache",
                "update_aggregated_personal_bests", "update_aggregated_player_profile_stats", "update_aggregated_season_race_data",
                "update_power_ratings",
            },
            steps.Select(s => s.Function.Name));
        Assert.Equal(
            new[]
            {
                "season_stats", "half_season_stats", "all_time_stats", "hall_of_fame", "recent_performance", "honour_roll", "match_report",
                "personal_bests", "player_profile_stats", "season_race_data", "player_power_rating",
            },
            steps.SelectMany(s => s.CacheTags));
    }

    private static ServiceProvider Services(IConfiguration config)
    {
        var services = new ServiceCollection();
        services.AddSingleton(config);
        services.AddJobQueueWithEveryModule(config);
        return services.BuildServiceProvider();
    }
}
