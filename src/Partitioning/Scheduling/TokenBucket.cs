namespace Fairlane.Partitioning.Scheduling;

/// <summary>
/// A token bucket on a caller-supplied monotonic clock: <c>rate</c> tokens a second, bursting to
/// <c>capacity</c>. Pure, so tests drive time.
/// </summary>
public sealed class TokenBucket
{
    private readonly double _ratePerTick;
    private readonly double _capacity;
    private double _tokens;
    private TimeSpan _last;

    public TokenBucket(double ratePerSecond, double capacity, TimeSpan now)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        RatePerSecond = ratePerSecond;
        _ratePerTick = ratePerSecond / TimeSpan.TicksPerSecond;
        _capacity = capacity;
        _tokens = capacity;
        _last = now;
    }

    public double RatePerSecond { get; }

    public bool CanTake(TimeSpan now)
    {
        Refill(now);
        return _tokens >= 1;
    }

    public bool TryTake(TimeSpan now)
    {
        if (!CanTake(now)) return false;
        _tokens -= 1;
        return true;
    }

    /// <summary>When the next token is available (now, if one is).</summary>
    public TimeSpan NextTokenAt(TimeSpan now)
    {
        Refill(now);
        return _tokens >= 1 ? now : now + TimeSpan.FromTicks((long)Math.Ceiling((1 - _tokens) / _ratePerTick));
    }

    private void Refill(TimeSpan now)
    {
        if (now <= _last) return;
        _tokens = Math.Min(_capacity, _tokens + (now - _last).Ticks * _ratePerTick);
        _last = now;
    }
}
