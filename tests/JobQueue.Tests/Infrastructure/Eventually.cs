using System.Diagnostics;

namespace JobQueue.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a generous timeout passes.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, double seconds = 30)
    {
        var sw = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(seconds), "timed out waiting until " + what);
            await Task.Delay(25);
        }
    }
}
