namespace Fairlane.LoadTest.Measurement;

/// <summary>p50 and p99 of one tenant class's events sent in one second of the run.</summary>
internal readonly record struct TimelinePoint(int Second, string Class, double P50, double P99, int Count);

/// <summary>Where the fleet saturated under an open-loop ramp.</summary>
/// <remarks><paramref name="BestSustained"/>: the best 30-second processed rate (null when the run was shorter).</remarks>
internal sealed record Saturation(double BestThroughput, double? KneeOfferedRate, int? KneeSecond, double? BestSustained = null);

/// <summary>Everything measured of one system (Fairlane or the baseline) in a run.</summary>
internal sealed record SystemResult(
    string System,
    IReadOnlyList<PhaseResult> Phases,
    FairnessResult Fairness,
    bool Drained,
    long Lost,
    long UnknownProcessed,
    EffectCounts Effects,
    IReadOnlyList<TimelinePoint> Timeline,
    int[] SentPerSecond,
    int[] ProcessedPerSecond,
    Saturation Saturation)
{
    public long Sent => Phases.Sum(p => p.Sent);
    public long Processed => Phases.Sum(p => p.Processed);

    /// <summary>Processed webhooks with no effect, plus effects applied twice.</summary>
    public long Duplicated => Effects.DuplicatedEffects;

    public long MissingEffects => Math.Max(0, Processed - Effects.WebhooksWithEffect);

    public PhaseResult? Phase(string name) => Phases.FirstOrDefault(p => p.Phase == name);
}
