namespace Fairlane.LoadTest.Measurement;

/// <summary>A tenant's events per second: sent, and processed, over the same buckets.</summary>
internal sealed record TenantSeries(string Tenant, int[] Sent, int[] Processed);

/// <summary>What each backlogged tenant was served while it waited, and how evenly (Jain's index).</summary>
internal sealed record FairnessResult(double Jain, IReadOnlyDictionary<string, double> RatesWhileBacklogged, int BackloggedSeconds)
{
    public int Tenants => RatesWhileBacklogged.Count;
}

/// <summary>
/// Fairness among tenants that had work waiting. A tenant is backlogged in a second when more of its
/// events were waiting as the second began than it got processed during it: it had work queued the
/// whole second, so what it got is what the scheduler gave it, not what it asked for. Its share is
/// the events it got processed per backlogged second. A fair scheduler gives equal-weight backlogged
/// tenants equal shares, whatever they ask for, so Jain's index over those shares measures it.
/// </summary>
internal static class BackloggedShares
{
    public static FairnessResult Compute(IReadOnlyList<TenantSeries> series, int minBackloggedSeconds = 3)
    {
        var rates = new Dictionary<string, double>(StringComparer.Ordinal);
        var seconds = new HashSet<int>();
        foreach (var s in series)
        {
            if (s.Sent.Length != s.Processed.Length) throw new ArgumentException($"tenant {s.Tenant}: sent and processed cover different seconds");
            long backlog = 0;
            var served = 0L;
            var backlogged = new List<int>();
            for (var b = 0; b < s.Sent.Length; b++)
            {
                var atStart = backlog;
                backlog += s.Sent[b] - s.Processed[b];
                if (atStart > s.Processed[b])
                {
                    backlogged.Add(b);
                    served += s.Processed[b];
                }
            }
            if (backlogged.Count < minBackloggedSeconds) continue;
            rates[s.Tenant] = (double)served / backlogged.Count;
            seconds.UnionWith(backlogged);
        }
        return new FairnessResult(JainIndex.Of(rates.Values), rates, seconds.Count);
    }
}
