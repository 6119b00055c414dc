namespace Fairlane.Partitioning.Scheduling;

/// <summary>
/// What a tenant's runs cost as a function of their size: a fixed part every run pays (opening and
/// committing its transaction, a downstream call per run) and a part per event, fitted by least squares
/// over recent runs (each weighs 1 - <see cref="Decay"/> of the one before). The scheduler sizes runs
/// with it: with the per-event average alone, a tenant whose runs are small pays the fixed part in every
/// event's estimate, so its runs stay small however far behind it is. It only sizes runs; what a run is
/// charged is always what it measured.
/// </summary>
internal sealed class RunCostModel
{
    /// <summary>How much an observation shrinks the weight of those before it.</summary>
    public const double Decay = 0.2;

    // Decayed sums over runs (n events costing c ticks): Σw, Σw·n, Σw·n², Σw·c, Σw·n·c.
    private double _w, _n, _nn, _c, _nc;

    // The split the runs showed when last their sizes varied, kept while runs are all one size again
    // (they then show nothing new).
    private (double Fixed, double PerEvent)? _shown;

    /// <summary>
    /// A share of a run: <paramref name="share"/> of a run of <paramref name="runSize"/> events that cost
    /// <paramref name="runTicks"/>. The shares of one run add up to one observation, so the model learns
    /// from events as they complete, in any order.
    /// </summary>
    public void Observe(int runSize, long runTicks, double share)
    {
        var keep = 1 - Decay * share;
        _w = _w * keep + share;
        _n = _n * keep + share * runSize;
        _nn = _nn * keep + share * runSize * runSize;
        _c = _c * keep + share * runTicks;
        _nc = _nc * keep + share * runSize * runTicks;
        if (SizesVary) _shown = Split();
    }

    /// <summary>
    /// The fixed and per-event cost, or null before any run was seen. Only runs of different sizes tell
    /// the two apart; while the runs seen were all about one size, the last split they showed holds, and
    /// before any did, half of a run's cost is taken as fixed.
    /// </summary>
    public (double Fixed, double PerEvent)? Fit() =>
        _w <= 0 || _n <= 0 ? null : _shown ?? (_c / _w / 2, _c / _n / 2);

    // The least-squares split of the runs seen (their sizes vary).
    private (double Fixed, double PerEvent) Split()
    {
        var meanPerEvent = _c / _n;
        var perEvent = (_w * _nc - _n * _c) / (_w * _nn - _n * _n);
        // Noise can fit a slope past the average or below zero. Too small a slope costs one oversized run
        // (the batch size still bounds it), which the next fit sees.
        perEvent = Math.Clamp(perEvent, 0, meanPerEvent);
        return (Math.Max(0, (_c - perEvent * _n) / _w), perEvent);
    }

    /// <summary>
    /// How many events a run may take for what its events add to stay within <paramref name="budgetTicks"/>
    /// (at least one), or null before any run was seen. The fixed part is left out: every run pays it
    /// whatever its size, and it is largest exactly when the machine is busiest (a transaction waiting for
    /// a core), where leaving it in would shrink runs to one and pay it for every event. Before runs of
    /// different sizes were seen, one more than the runs so far: a run a little larger shows what an event
    /// adds, and the fit takes over from there.
    /// </summary>
    public int? EventsWithin(long budgetTicks)
    {
        if (Fit() is not { } fit) return null;
        var within = (int)Math.Clamp(Math.Floor(budgetTicks / Math.Max(1, fit.PerEvent)), 1, int.MaxValue);
        return _shown is null ? Math.Max(within, (int)Math.Round(_n / _w) + 1) : within;
    }

    private bool SizesVary => _nn / _w - (_n / _w) * (_n / _w) >= 0.25;
}
