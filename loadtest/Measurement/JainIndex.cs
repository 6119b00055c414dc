namespace Fairlane.LoadTest.Measurement;

/// <summary>
/// Jain's fairness index, (Σx)² / (n·Σx²): 1 when every tenant got the same share, 1/n when one
/// tenant got everything. Over backlogged tenants only, since a tenant that asks for little is not
/// short-changed by getting little.
/// </summary>
internal static class JainIndex
{
    /// <summary>The index of the shares, or NaN for fewer than two shares or all zero.</summary>
    public static double Of(IReadOnlyCollection<double> shares)
    {
        if (shares.Count < 2) return double.NaN;
        var sum = shares.Sum();
        var squares = shares.Sum(x => x * x);
        return squares == 0 ? double.NaN : sum * sum / (shares.Count * squares);
    }
}
