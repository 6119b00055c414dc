using Fairlane.Contracts.Events;
using Fairlane.LoadTest.Seeding;

namespace Fairlane.LoadTest.Load;

/// <summary>
/// A tenant's stream of stock.changed webhooks, each about a mapped item (a random product on a
/// random one of its channels) with an absolute quantity and the tenant's next sequence number, so
/// the Watcher applies every one (none is stale) and emits a sync. Ids are "{phase}-{sequence}":
/// unique per tenant and telling which phase an event belongs to.
/// </summary>
internal sealed class WebhookEvents(string tenant, int products, int seed) : IWebhookStream
{
    private readonly Random _random = new(StableSeed.Of(seed, tenant));
    private long _sequence;

    public EventEnvelope Next(string phase)
    {
        var sequence = ++_sequence;
        var channel = TenantChannel.All[_random.Next(TenantChannel.All.Count)];
        var product = _random.Next(products);
        var change = new StockChanged
        {
            ChannelType = channel.Type,
            ChannelId = channel.Id,
            ExternalId = channel.ExternalId(product),
            Quantity = _random.Next(0, 200),
            Sequence = sequence,
        };
        return EnvelopeCodec.Create(tenant, EventTypes.StockChanged, change, FairlaneJsonContext.Default.StockChanged, id: EventId(phase, sequence));
    }

    public static string EventId(string phase, long sequence) => $"{phase}-{sequence:000000}";

    /// <summary>The phase an event id names (everything before the last dash).</summary>
    public static string PhaseOf(string eventId) => eventId[..eventId.LastIndexOf('-')];
}
