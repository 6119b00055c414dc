namespace Fairlane.LoadTest.Chaos;

/// <summary>What the ledger, the effects and the stock say about the acknowledged reports.</summary>
internal sealed record EffectFindings(int Lost, long Doubled, int DeltasWithoutEffect, int StaleLevels, int Deltas, int Levels,
    int Products, IReadOnlyList<StockMismatch> StockMismatches);

/// <summary>Compares what the fleet left behind with what was sent; pure, so it is unit-tested.</summary>
internal static class EffectJudge
{
    public static EffectFindings Judge(IReadOnlyList<SentReport> acknowledged, StockModel model, IReadOnlySet<(string, string)> processed,
        IReadOnlyDictionary<(string, string), int> effects, IReadOnlyList<(string Tenant, string Product, int Stock)> stock)
    {
        int lost = 0, deltasWithout = 0, stale = 0, deltas = 0, levels = 0;
        foreach (var r in acknowledged)
        {
            var key = (r.Tenant, r.EventId);
            var applied = effects.GetValueOrDefault(key);
            if (r.IsDelta) deltas++;
            else levels++;
            if (!processed.Contains(key))
            {
                lost++;
                continue;
            }
            if (applied > 0) continue;
            if (r.IsDelta) deltasWithout++;
            else stale++;
        }
        var doubled = effects.Values.Sum(n => (long)Math.Max(0, n - 1));
        var kinds = model.Reported.ToDictionary(p => (p.Tenant, p.ProductId), p => p.ByDelta);
        var mismatches = stock
            .Select(s => new StockMismatch(s.Tenant, s.Product, kinds.GetValueOrDefault((s.Tenant, s.Product)), model.Expected(s.Tenant, s.Product), s.Stock))
            .Where(m => m.Expected != m.Actual)
            .ToList();
        return new EffectFindings(lost, doubled, deltasWithout, stale, deltas, levels, stock.Count, mismatches);
    }
}
