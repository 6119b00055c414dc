namespace Fairlane.LoadTest.Load;

/// <summary>
/// Per-tenant rates that follow Zipf's law, as tenant sizes in a SaaS fleet tend to: the k-th
/// largest tenant sends in proportion to 1/k^s. A handful of tenants carry most of the traffic and a
/// long tail sends almost nothing.
/// </summary>
internal static class ZipfRates
{
    /// <summary>Rates for <paramref name="tenants"/> tenants, largest first, summing to <paramref name="totalRate"/>.</summary>
    public static double[] Of(int tenants, double totalRate, double exponent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tenants, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(totalRate);
        ArgumentOutOfRangeException.ThrowIfNegative(exponent);
        var weights = Enumerable.Range(1, tenants).Select(k => 1 / Math.Pow(k, exponent)).ToArray();
        var sum = weights.Sum();
        return weights.Select(w => totalRate * w / sum).ToArray();
    }
}
