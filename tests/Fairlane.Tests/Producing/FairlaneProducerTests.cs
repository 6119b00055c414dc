using Fairlane.Contracts.Events;
using Fairlane.Producing;

namespace Fairlane.Tests.Producing;

// Validation happens before anything is sent, so no broker is needed (the bootstrap address is never dialled).
public sealed class FairlaneProducerTests
{
    private static EventEnvelope Envelope(string tenant) => EnvelopeCodec.Create(tenant, EventTypes.StockChanged,
        new StockChanged { ChannelType = "wix", ChannelId = "w", ExternalId = "x", Quantity = 1 }, FairlaneJsonContext.Default.StockChanged);

    [Theory]
    [InlineData("")]
    [InlineData("bad tenant")]
    public async Task Refuses_an_event_without_a_valid_tenant(string tenant)
    {
        using var producer = new FairlaneProducer("127.0.0.1:1");
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => producer.ProduceAsync("t", Envelope(tenant)));
        Assert.Contains("tenant id", ex.Message);
    }

    [Fact]
    public async Task Refuses_a_key_that_is_not_the_tenant()
    {
        using var producer = new FairlaneProducer("127.0.0.1:1");
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => producer.ProduceAsync("t", "other", Envelope("acme")));
        Assert.Contains("keyed 'other'", ex.Message);
    }

    [Fact]
    public async Task Refuses_an_event_without_an_id()
    {
        using var producer = new FairlaneProducer("127.0.0.1:1");
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => producer.ProduceAsync("t", Envelope("acme") with { Id = " " }));
        Assert.Contains("idempotency key", ex.Message);
    }
}
