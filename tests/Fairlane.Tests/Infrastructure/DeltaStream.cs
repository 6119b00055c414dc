using Fairlane.Contracts.Events;

namespace Fairlane.Tests.Infrastructure;

/// <summary>
/// Sales on mapped items, each reported as a delta of −1 without a channel sequence. Every such report
/// applied once moves its product's stock by exactly one and records one sync, so the final stock and
/// sync history per product show any event lost, applied twice, or dropped as stale because it ran
/// after a newer one (the Watcher orders sequence-less reports by time).
/// </summary>
internal sealed class DeltaStream
{
    public const int StartStock = 1_000_000;
    private const string ChannelId = "wix-main";

    private readonly string[] _tenants;
    private readonly int _products;
    private readonly Dictionary<(string Tenant, string Product), int> _sold = [];
    private readonly DateTimeOffset _epoch = DateTimeOffset.UtcNow;
    private long _sent;

    private DeltaStream(string[] tenants, int products) => (_tenants, _products) = (tenants, products);

    public IReadOnlyList<string> Tenants => _tenants;

    public long Sent => _sent;

    /// <summary>Registers the tenants, each with one channel and <paramref name="products"/> mapped products at <see cref="StartStock"/>.</summary>
    public static async Task<DeltaStream> SeedAsync(TestDatabase db, IEnumerable<string> tenants, int products)
    {
        var stream = new DeltaStream(tenants.ToArray(), products);
        await db.RegisterTenantsAsync(stream._tenants);
        foreach (var tenant in stream._tenants)
        {
            var ids = Enumerable.Range(0, products).Select(Product).ToList();
            await Catalog.SeedAsync(db, tenant, [new Catalog.Channel(ChannelId, "wix")],
                ids.Select(p => new Catalog.Product(p, StartStock)),
                ids.Select(p => new Catalog.Mapping(p, ChannelId, Item(p))));
        }
        return stream;
    }

    /// <summary>The next <paramref name="count"/> reports, spread over every tenant and product; times increase strictly.</summary>
    public List<EventEnvelope> Next(int count, IReadOnlyCollection<string>? onlyTenants = null)
    {
        var tenants = onlyTenants?.ToArray() ?? _tenants;
        var events = new List<EventEnvelope>(count);
        for (var i = 0; i < count; i++)
        {
            var n = _sent++;
            var tenant = tenants[n % tenants.Length];
            var product = Product((int)(n / tenants.Length % _products));
            _sold[(tenant, product)] = _sold.GetValueOrDefault((tenant, product)) + 1;
            events.Add(EnvelopeCodec.Create(tenant, EventTypes.StockChanged,
                new StockChanged { ChannelType = "wix", ChannelId = ChannelId, ExternalId = Item(product), Delta = -1 },
                FairlaneJsonContext.Default.StockChanged, occurredAt: _epoch.AddTicks(n * 10)));
        }
        return events;
    }

    /// <summary>Products whose stock or sync count differs from the model, and parked rows left; empty when all is applied once.</summary>
    public async Task<List<string>> DifferencesAsync(TestDatabase db)
    {
        var actual = new Dictionary<(string, string), (int Stock, long Syncs)>();
        await using (var cmd = db.Owner.CreateCommand("""
            SELECT p.tenant_id, p.id, p.stock, (SELECT count(*) FROM sync_events s WHERE s.tenant_id = p.tenant_id AND s.product_id = p.id)
            FROM products p
            """))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) actual[(reader.GetString(0), reader.GetString(1))] = (reader.GetInt32(2), reader.GetInt64(3));
        }
        var differences = new List<string>();
        foreach (var tenant in _tenants)
        {
            for (var p = 0; p < _products; p++)
            {
                var product = Product(p);
                var sold = _sold.GetValueOrDefault((tenant, product));
                var (stock, syncs) = actual.GetValueOrDefault((tenant, product));
                if (stock != StartStock - sold || syncs != sold)
                    differences.Add($"{tenant}/{product}: stock {stock} (want {StartStock - sold}), syncs {syncs} (want {sold})");
            }
        }
        var parked = await db.ScalarAsync<long>("SELECT count(*) FROM parked_events");
        if (parked > 0) differences.Add($"{parked} event(s) still parked");
        return differences;
    }

    /// <summary>Waits until every report is applied once and the park is empty; fails with what still differs.</summary>
    public async Task WaitUntilAppliedAsync(TestDatabase db, TimeSpan deadline)
    {
        try
        {
            await Eventually.WaitAsync(() => DifferencesAsync(db), d => d.Count == 0, deadline, "every delta applied once and the park empty");
        }
        catch (TimeoutException)
        {
            var left = await DifferencesAsync(db);
            Assert.Fail($"After {deadline.TotalSeconds:0} s, {left.Count} difference(s) from the model:\n{string.Join("\n", left.Take(20))}");
        }
    }

    private static string Product(int i) => $"p-{i}";

    private static string Item(string product) => $"item-{product}";
}
