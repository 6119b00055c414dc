namespace Fairlane.LoadTest.Chaos;

/// <summary>One stock report the harness sent and the brokers acknowledged: a delta, or an absolute level with its sequence.</summary>
internal readonly record struct SentReport(string Tenant, string ProductId, string EventId, int? Delta, int? Level, long? Sequence)
{
    public bool IsDelta => Delta is not null;
}

/// <summary>
/// The stock every product must end with, computed from what was sent alone. A product gets either
/// only deltas (no sequence) or only absolute levels (with increasing sequences, on a channel that
/// Sync and the Guardian leave alone), never both, so each product's end is determined:
/// <list type="bullet">
/// <item>deltas: the Watcher moves internal stock by each delta, whatever the channel showed before,
/// so the end is the initial stock plus the sum of the deltas, each counted once;</item>
/// <item>levels: the first level moves stock from what the channel should show (the initial stock)
/// to the level, each later one by its difference to the previous one, and a level with a lower
/// sequence than one already applied is stale; the sum telescopes, so the end is the level with the
/// highest sequence, whatever order they were processed in.</item>
/// </list>
/// </summary>
internal sealed class StockModel(int initialStock)
{
    private readonly Dictionary<(string Tenant, string Product), ProductState> _products = [];

    public int InitialStock => initialStock;

    public int Reports { get; private set; }

    public void Add(SentReport report)
    {
        if (report.Delta is null == report.Level is null)
            throw new ArgumentException($"Report {report.EventId} must carry exactly one of a delta and a level.", nameof(report));
        if (report.Level is not null && report.Sequence is null)
            throw new ArgumentException($"Level report {report.EventId} needs a sequence: without one its order would depend on occurredAt.", nameof(report));
        var key = (report.Tenant, report.ProductId);
        if (!_products.TryGetValue(key, out var state)) _products[key] = state = new ProductState(report.IsDelta);
        if (state.ByDelta != report.IsDelta)
            throw new ArgumentException($"Product {report.Tenant}/{report.ProductId} mixes deltas and levels; the model needs one kind per product.", nameof(report));
        if (report.Delta is { } delta) state.DeltaSum += delta;
        else if (report.Sequence > state.HighestSequence) (state.HighestSequence, state.LatestLevel) = (report.Sequence.Value, report.Level!.Value);
        Reports++;
    }

    /// <summary>The stock <paramref name="productId"/> of <paramref name="tenant"/> must end with (the initial stock if it got no report).</summary>
    public int Expected(string tenant, string productId)
    {
        if (!_products.TryGetValue((tenant, productId), out var state)) return initialStock;
        return state.ByDelta ? initialStock + state.DeltaSum : state.LatestLevel;
    }

    /// <summary>Products that got at least one report, with their kind.</summary>
    public IEnumerable<(string Tenant, string ProductId, bool ByDelta)> Reported =>
        _products.Select(p => (p.Key.Tenant, p.Key.Product, p.Value.ByDelta));

    private sealed class ProductState(bool byDelta)
    {
        public bool ByDelta { get; } = byDelta;
        public int DeltaSum { get; set; }
        public long HighestSequence { get; set; } = long.MinValue;
        public int LatestLevel { get; set; }
    }
}
