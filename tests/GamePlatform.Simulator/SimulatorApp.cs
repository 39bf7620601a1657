using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace GamePlatform.Simulator;

/// <summary>
/// The simulator of the Game Platform contract (src/JobQueue.GamePlatform/Client/CONTRACT.md): the API
/// under <c>/v1</c> (API key, paging, faults) and the control endpoints under <c>/_sim</c>.
/// </summary>
public static class SimulatorApp
{
    public static WebApplication Build(string[] args, Action<SimulatorOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(SimulatorApp).Assembly.GetName().Name,
        });
        var options = builder.Configuration.GetSection(SimulatorOptions.Section).Get<SimulatorOptions>() ?? new SimulatorOptions();
        configure?.Invoke(options);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<SimulatorState>();
        builder.Services.AddSingleton(TimeProvider.System);

        var app = builder.Build();
        MapApi(app);
        MapControl(app);
        return app;
    }

    /// <summary>Starts the simulator on a free loopback port (real HTTP, for tests).</summary>
    public static async Task<RunningSimulator> StartAsync(Action<SimulatorOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var app = Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"], configure);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningSimulator(app, new Uri(address), app.Services.GetRequiredService<SimulatorState>());
    }

    private static void MapApi(WebApplication app)
    {
        var api = app.MapGroup("/v1");
        api.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var state = http.RequestServices.GetRequiredService<SimulatorState>();
            var endpoint = http.Request.Path.Value!.EndsWith("/totals", StringComparison.Ordinal) ? "totals" : "activity";
            state.Count(endpoint);
            if (!KeyMatches(http.Request.Headers["X-Api-Key"].ToString(), state.ApiKey))
            {
                return Error(401, "unauthorized", "missing or wrong X-Api-Key");
            }

            var (latency, fault) = state.TakeFault(endpoint);
            if (latency > 0)
            {
                await Task.Delay(latency, http.RequestAborted);
            }

            if (fault is not null)
            {
                state.Count($"fault:{fault.Status}");
                if (fault.HangMs > 0)
                {
                    await Task.Delay(fault.HangMs, http.RequestAborted);
                }

                if (fault.RetryAfterSeconds is { } retryAfter)
                {
                    http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                }

                return Error(fault.Status, fault.Status == 429 ? "rate_limited" : "unavailable", "simulated failure");
            }

            return await next(context);
        });

        api.MapGet("/competitors/{userId}/activity", (string userId, long? after, int? limit, string? cursor, SimulatorState state) =>
        {
            if (after is < 0)
            {
                return Error(400, "bad_request", "after must be a unix time >= 0");
            }

            var offset = 0;
            if (cursor is not null && !TryDecodeCursor(cursor, out offset))
            {
                return Error(400, "bad_request", "cursor is not valid");
            }

            var items = state.ActivityAfter(userId, after ?? 0);
            if (items is null)
            {
                return Error(404, "not_found", $"competitor {userId} does not exist");
            }

            var size = Math.Clamp(limit ?? state.MaxPageSize, 1, state.MaxPageSize);
            var page = items.Skip(offset).Take(size).ToList();
            var next = offset + size < items.Count ? EncodeCursor(offset + size) : null;
            state.Count($"activity:{userId}");
            return Results.Ok(new { items = page, nextCursor = next });
        });

        api.MapGet("/competitors/{userId}/totals", async (string userId, SimulatorState state, TimeProvider time, HttpContext http) =>
        {
            if (state.OnTotalsRequest is { } hook)
            {
                await hook(userId, http.RequestAborted);
            }

            var totals = state.Totals(userId, time.GetUtcNow().ToUnixTimeSeconds());
            if (totals is null)
            {
                return Error(404, "not_found", $"competitor {userId} does not exist");
            }

            state.Count($"totals:{userId}");
            return Results.Ok(totals);
        });
    }

    private static void MapControl(WebApplication app)
    {
        app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        var sim = app.MapGroup("/_sim");
        sim.MapGet("/state", (SimulatorState state, TimeProvider time) => Results.Ok(new
        {
            faults = state.Faults,
            requests = state.AllRequests(),
            competitors = state.Describe(time.GetUtcNow().ToUnixTimeSeconds()),
        }));
        sim.MapGet("/competitors", (SimulatorState state, TimeProvider time) => Results.Ok(state.Describe(time.GetUtcNow().ToUnixTimeSeconds())));
        sim.MapPost("/competitors", (NewCompetitor body, SimulatorState state) =>
            string.IsNullOrWhiteSpace(body.CoachId) || string.IsNullOrWhiteSpace(body.UserId)
                ? Error(400, "bad_request", "coachId and userId are required")
                : Results.Ok(state.AddCompetitor(body.CoachId, body.UserId, body.DisplayName)));
        sim.MapPost("/competitors/{userId}/activity", (string userId, NewActivity? body, SimulatorState state) =>
        {
            var count = body?.Count ?? 1;
            if (count is < 1 or > 10000)
            {
                return Error(400, "bad_request", "count must be between 1 and 10000");
            }

            var added = state.Append(userId, count, body?.OccurredAtUnix, body?.Points, body?.Result);
            return added is null ? Error(404, "not_found", $"competitor {userId} does not exist") : Results.Ok(new { added });
        });
        sim.MapGet("/faults", (SimulatorState state) => Results.Ok(state.Faults));
        sim.MapPost("/faults", (SimulatorFaults body, SimulatorState state) =>
        {
            state.Faults = body;
            return Results.Ok(state.Faults);
        });
        sim.MapPost("/faults/reset", (SimulatorState state) =>
        {
            state.Faults = new SimulatorFaults();
            return Results.Ok(state.Faults);
        });
        sim.MapPost("/reset", (SimulatorState state) =>
        {
            state.Reset();
            return Results.Ok(new { reset = true });
        });
    }

    private static IResult Error(int status, string error, string message) =>
        Results.Json(new { error, message }, statusCode: status);

    private static bool KeyMatches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static string EncodeCursor(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("o:" + offset.ToString(CultureInfo.InvariantCulture)));

    private static bool TryDecodeCursor(string cursor, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith("o:", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private sealed record NewCompetitor(string CoachId, string UserId, string? DisplayName);

    private sealed record NewActivity(int? Count, long? OccurredAtUnix, int? Points, string? Result);
}

/// <summary>A simulator started in-process: its base URL and state; dispose to stop it.</summary>
public sealed class RunningSimulator(WebApplication app, Uri baseUrl, SimulatorState state) : IAsyncDisposable
{
    public Uri BaseUrl { get; } = baseUrl;

    public SimulatorState State { get; } = state;

    public string ApiKey => app.Services.GetRequiredService<SimulatorOptions>().ApiKey;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
