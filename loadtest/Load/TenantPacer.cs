namespace Fairlane.LoadTest.Load;

/// <summary>
/// Turns a tenant's rate schedule into whole events: each tick adds the events the schedule offered
/// since the last tick to a fractional credit and releases its whole part. The credit starts at a
/// per-tenant offset so that tenants with equal rates do not all fire on the same tick.
/// </summary>
internal sealed class TenantPacer(RateSchedule schedule, double initialCredit = 0)
{
    private double _credit = initialCredit;
    private double _last;

    /// <summary>How many events are due by <paramref name="seconds"/> into the phase (never negative).</summary>
    public int Due(double seconds)
    {
        if (seconds <= _last) return 0;
        var mid = (_last + seconds) / 2;
        _credit += schedule.RateAt(mid) * (seconds - _last);
        _last = seconds;
        // Sums of rate × step fall a hair short of whole numbers (0.1 is not exact in binary); without
        // the epsilon a tenant at 10/s would send 99 events in 10 s.
        var whole = (int)Math.Floor(_credit + 1e-9);
        _credit -= whole;
        return whole;
    }
}
