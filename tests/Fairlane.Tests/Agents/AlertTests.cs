using System.Text.Json;
using System.Threading.Channels;
using Fairlane.Agents.Bus;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;
using StackExchange.Redis;

namespace Fairlane.Tests.Agents;

/// <summary>Alert checks: raised once while the condition holds, resolved when it clears, announced on the event bus.</summary>
[Trait("Category", "Integration")]
public sealed class AlertTests
{
    private const string Tenant = "corner-shop";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static EventEnvelope Webhook(int quantity, long sequence) => EnvelopeCodec.Create(Tenant, EventTypes.StockChanged,
        new StockChanged { ChannelId = "web", ChannelType = "wix", ExternalId = "W-1", Quantity = quantity, Sequence = sequence },
        FairlaneJsonContext.Default.StockChanged);

    [Fact(Timeout = 120_000)]
    public async Task Low_stock_is_alerted_once_announced_on_the_bus_and_resolved_on_restock()
    {
        var keyPrefix = TestServers.UniqueName("bus") + ":";
        await using var stack = await new StackBuilder().Kafka(1, 6).With("Redis:KeyPrefix", keyPrefix).StartAsync();
        await stack.Db.RegisterTenantsAsync([Tenant]);
        await Catalog.SeedAsync(stack.Db, Tenant, [new("web", "wix")], [new("p1", Stock: 20, LowStockThreshold: 5)], [new("p1", "web", "W-1")]);

        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{TestServers.RedisPorts[0]}");
        var notices = Channel.CreateUnbounded<BusNotice>();
        await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal($"{keyPrefix}events:{Tenant}"),
            (_, message) => notices.Writer.TryWrite(JsonSerializer.Deserialize((string)message!, AgentsJsonContext.Default.BusNotice)!));

        // Two sales take stock to 3 and then 2: the alert opens once.
        await stack.Producer.ProduceAsync(stack.Topics.Webhooks, Webhook(3, 1));
        await stack.Producer.ProduceAsync(stack.Topics.Webhooks, Webhook(2, 2));
        var open = () => stack.Db.ScalarAsync<long>("SELECT count(*) FROM alerts WHERE kind = 'low_stock' AND subject = 'p1' AND status = 'open'");
        await Eventually.WaitAsync(open, n => n == 1, Deadline, "a low-stock alert");

        // The bus also carries the syncs of these changes; the alert is among the notices.
        using var wait = new CancellationTokenSource(Deadline);
        BusNotice notice;
        do notice = await notices.Reader.ReadAsync(wait.Token);
        while (notice.Type != BusNotice.AlertRaised);
        Assert.Equal("low_stock", notice.Data.GetProperty("kind").GetString());
        Assert.Equal(Tenant, notice.TenantId);

        // Restocked above the threshold: the alert resolves.
        await stack.Producer.ProduceAsync(stack.Topics.Webhooks, Webhook(30, 3));
        await Eventually.WaitAsync(() => stack.Db.ScalarAsync<long>("SELECT count(*) FROM alerts WHERE kind = 'low_stock' AND status = 'resolved'"),
            n => n == 1, Deadline, "the low-stock alert resolved");
        Assert.Equal(0, await open());
        Assert.Equal(1, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM alerts"));
    }
}
