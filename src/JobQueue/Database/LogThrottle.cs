namespace JobQueue.Database;

/// <summary>
/// At most one log line per <paramref name="interval"/> for a recurring condition (a database outage
/// seen by every request), with the number of occurrences that were not logged in between.
/// </summary>
public sealed class LogThrottle(TimeSpan interval, TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _lastLogged;
    private int _suppressed;

    /// <summary>True when this occurrence should be logged; <paramref name="suppressed"/> = occurrences skipped since the last line.</summary>
    public bool ShouldLog(out int suppressed)
    {
        lock (_gate)
        {
            if (_lastLogged != 0 && time.GetElapsedTime(_lastLogged) < interval)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }

            _lastLogged = time.GetTimestamp();
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
