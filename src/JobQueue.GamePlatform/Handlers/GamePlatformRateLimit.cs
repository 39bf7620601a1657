using JobQueue.GamePlatform;
using JobQueue.Runner;

namespace JobQueue.Handlers;

/// <summary>
/// A Game Platform run that met a 429 with Retry-After (beyond what the client waits inside a call):
/// the whole task type waits until then (<see cref="PauseTaskTypeException"/>: the other jobs of the
/// type are not claimed, this one is snoozed without using up an attempt) instead of every job
/// burning its own attempts. Thread-safe: the handlers call the API in parallel.
/// </summary>
internal sealed class GamePlatformRateLimit(TimeProvider time)
{
    private long untilTicks;

    public void Note(Exception e)
    {
        if (e is GamePlatformApiException { Failure: GamePlatformFailure.RateLimited, RetryAfter: { } wait } && wait > TimeSpan.Zero)
        {
            var until = (time.GetUtcNow() + wait).UtcTicks;
            long seen;
            while ((seen = Interlocked.Read(ref untilTicks)) < until && Interlocked.CompareExchange(ref untilTicks, until, seen) != seen)
            {
            }
        }
    }

    public void ThrowIfLimited(string taskType)
    {
        var ticks = Interlocked.Read(ref untilTicks);
        if (ticks > 0)
        {
            var until = new DateTimeOffset(ticks, TimeSpan.Zero);
            throw new PauseTaskTypeException(until, $"the Game Platform answered 429: {taskType} waits until {until:O} (Retry-After)");
        }
    }
}
