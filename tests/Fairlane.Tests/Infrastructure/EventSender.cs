using Fairlane.Contracts.Events;
using Fairlane.Producing;

namespace Fairlane.Tests.Infrastructure;

internal static class EventSender
{
    public static EventEnvelope StockEvent(string tenant, long sequence) => EnvelopeCodec.Create(tenant, EventTypes.StockChanged,
        new StockChanged { ChannelType = "wix", ChannelId = "wix-main", ExternalId = $"item-{sequence % 10}", Quantity = (int)(sequence % 100), Sequence = sequence },
        FairlaneJsonContext.Default.StockChanged);

    public static string Tenant(int i) => $"tenant-{i:000}";

    public static IEnumerable<string> Tenants(int count) => Enumerable.Range(0, count).Select(Tenant);

    /// <summary>Sends events and waits until the brokers acknowledged every one; returns their ids.</summary>
    public static async Task<IReadOnlyList<EventEnvelope>> SendAsync(FairlaneProducer producer, string topic, int count, int tenants, int firstSequence = 0)
    {
        var events = Enumerable.Range(firstSequence, count).Select(i => StockEvent(Tenant(i % tenants), i)).ToList();
        var failures = 0;
        foreach (var e in events) producer.Produce(topic, e, r => { if (r.Error.IsError) Interlocked.Increment(ref failures); });
        var pending = await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, pending);
        Assert.Equal(0, failures);
        return events;
    }
}
