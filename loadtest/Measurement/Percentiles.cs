namespace Fairlane.LoadTest.Measurement;

/// <summary>Percentiles by linear interpolation between closest ranks (PostgreSQL's percentile_cont).</summary>
internal static class Percentiles
{
    /// <summary>The <paramref name="fraction"/> quantile (0..1) of values sorted ascending; NaN when there are none.</summary>
    public static double OfSorted(IReadOnlyList<double> sorted, double fraction)
    {
        if (fraction is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "a quantile is between 0 and 1");
        if (sorted.Count == 0) return double.NaN;
        var rank = fraction * (sorted.Count - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
    }

    /// <summary>p50, p95 and p99 of unsorted values.</summary>
    public static LatencySummary Summarize(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return new LatencySummary(sorted.Length, OfSorted(sorted, 0.50), OfSorted(sorted, 0.95), OfSorted(sorted, 0.99),
            sorted.Length == 0 ? double.NaN : sorted[^1]);
    }
}

/// <summary>Latency percentiles in milliseconds over <paramref name="Count"/> events (NaN when none).</summary>
internal readonly record struct LatencySummary(int Count, double P50, double P95, double P99, double Max)
{
    public static LatencySummary Empty { get; } = new(0, double.NaN, double.NaN, double.NaN, double.NaN);
}
