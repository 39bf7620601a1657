using System.Diagnostics;
using System.Globalization;

namespace JobQueue.Benchmarks;

/// <summary>Latency samples in milliseconds.</summary>
public sealed class Samples
{
    private readonly List<double> _ms = [];
    private readonly Lock _gate = new();

    public int Count => _ms.Count;

    public void Add(long startTimestamp) => AddMs(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);

    public void AddMs(double ms)
    {
        lock (_gate)
        {
            _ms.Add(ms);
        }
    }

    public double Percentile(double p)
    {
        lock (_gate)
        {
            if (_ms.Count == 0)
            {
                return double.NaN;
            }

            var sorted = _ms.Order().ToArray();
            var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
        }
    }

    /// <summary>Times <paramref name="samples"/> calls of <paramref name="call"/> after 50 untimed ones; <paramref name="before"/> runs untimed before each.</summary>
    public static async Task<Samples> TimeAsync(int samples, Func<Task> call, Func<Task>? before = null)
    {
        const int warmup = 50;
        var result = new Samples();
        for (var i = 0; i < samples + warmup; i++)
        {
            if (before is not null)
            {
                await before();
            }

            var t0 = Stopwatch.GetTimestamp();
            await call();
            if (i >= warmup)
            {
                result.Add(t0);
            }
        }

        return result;
    }

    public string P50P99() => $"p50 {Ms(Percentile(50))} ms, p99 {Ms(Percentile(99))} ms (n={Count})";

    public static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);
}

public static class Fmt
{
    public static string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture);

    public static string Ratio(double ratio) => ratio.ToString(ratio < 10 ? "0.00" : "0", CultureInfo.InvariantCulture) + "x";

    public static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
