using Fairlane.LoadTest.Measurement;

namespace Fairlane.Tests.LoadTest;

public sealed class PercentilesTests
{
    [Fact]
    public void Quantiles_interpolate_between_closest_ranks_like_percentile_cont()
    {
        double[] sorted = [10, 20, 30, 40, 50];
        Assert.Equal(10, Percentiles.OfSorted(sorted, 0));
        Assert.Equal(30, Percentiles.OfSorted(sorted, 0.5));
        Assert.Equal(50, Percentiles.OfSorted(sorted, 1));
        Assert.Equal(48.4, Percentiles.OfSorted(sorted, 0.96), 9); // rank 3.84: 40 + 0.84 × 10
    }

    [Fact]
    public void Summary_of_one_to_a_hundred()
    {
        var summary = Percentiles.Summarize(Enumerable.Range(1, 100).Select(i => (double)i).Reverse());
        Assert.Equal(100, summary.Count);
        Assert.Equal(50.5, summary.P50, 9);
        Assert.Equal(95.05, summary.P95, 9);
        Assert.Equal(99.01, summary.P99, 9);
        Assert.Equal(100, summary.Max);
    }

    [Fact]
    public void No_values_have_no_percentiles()
    {
        var summary = Percentiles.Summarize([]);
        Assert.Equal(0, summary.Count);
        Assert.True(double.IsNaN(summary.P99));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.OfSorted([1.0], 1.5));
    }
}
