using Fairlane.Contracts.Events;
using Fairlane.LoadTest.Chaos;
using Fairlane.LoadTest.Load;
using Fairlane.LoadTest.Seeding;

namespace Fairlane.LoadTest.Hot;

/// <summary>
/// The `hot` run's webhooks: each report names a random product on that product's home channel
/// (product n on channel n mod 3, so the items spread over the three channels and Sync pushes to the
/// other two) with the item's next sequence and a level one above its previous one. Levels and
/// sequences therefore rise strictly per item, and the stock each product must end with is its last
/// level. Every report is kept for the order and stock checks.
/// </summary>
internal sealed class ItemLevelTraffic(int products, int seed)
{
    private readonly List<SentReport> _reports = [];

    /// <summary>The only channel that reports product <paramref name="product"/>; Sync never writes what it showed.</summary>
    public static TenantChannel HomeChannel(int product) => TenantChannel.All[product % TenantChannel.All.Count];

    public IWebhookStream StreamFor(string tenant) => new Stream(this, tenant, products, seed);

    public IReadOnlyList<SentReport> Reports
    {
        get { lock (_reports) return [.. _reports]; }
    }

    private void Record(SentReport report)
    {
        lock (_reports) _reports.Add(report);
    }

    private sealed class Stream(ItemLevelTraffic traffic, string tenant, int products, int seed) : IWebhookStream
    {
        private readonly Random _random = new(StableSeed.Of(seed, "hot", tenant));
        private readonly long[] _sequences = new long[products];
        private long _count;

        public EventEnvelope Next(string phase)
        {
            var id = WebhookEvents.EventId(phase, ++_count);
            var product = _random.Next(products);
            var sequence = ++_sequences[product];
            var level = CatalogSeeder.InitialStock + (int)sequence;
            var channel = HomeChannel(product);
            var change = new StockChanged
            {
                ChannelType = channel.Type, ChannelId = channel.Id, ExternalId = channel.ExternalId(product), Quantity = level, Sequence = sequence,
            };
            traffic.Record(new SentReport(tenant, TenantChannel.ProductId(product), id, null, level, sequence));
            return EnvelopeCodec.Create(tenant, EventTypes.StockChanged, change, FairlaneJsonContext.Default.StockChanged, id: id);
        }
    }
}
