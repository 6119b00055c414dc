using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Agents;

/// <summary>Channel webhooks through the Watcher: stock moves once, in order, never backwards, and a sync follows.</summary>
[Trait("Category", "Integration")]
public sealed class WatcherTests
{
    private const string Tenant = "shop";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static async Task<TestStack> StartAsync(string handoff = "direct")
    {
        // The channels lead nowhere: Sync records its pushes as failed at once, which is all these tests need of it.
        var stack = await new StackBuilder().Kafka(1, 6).With("Channels:Resilience:MaxRetryAttempts", 0).With("Agents:SyncHandoff", handoff)
            .StartAsync();
        await stack.Db.RegisterTenantsAsync([Tenant]);
        await Catalog.SeedAsync(stack.Db, Tenant,
            [new("pos", "eposnow"), new("web", "wix"), new("food", "deliveroo")],
            [new("p1", Stock: 10, BufferStock: 2)],
            [new("p1", "pos", "P-1"), new("p1", "web", "W-1"), new("p1", "food", "D-1")]);
        return stack;
    }

    private static EventEnvelope Webhook(string channel, string type, string item, int? quantity = null, int? delta = null, long? sequence = null,
        DateTimeOffset? at = null) =>
        EnvelopeCodec.Create(Tenant, EventTypes.StockChanged,
            new StockChanged { ChannelId = channel, ChannelType = type, ExternalId = item, Quantity = quantity, Delta = delta, Sequence = sequence },
            FairlaneJsonContext.Default.StockChanged, occurredAt: at);

    private static Task WaitProcessedAsync(TestStack stack, params string[] eventIds) => Eventually.WaitAsync(
        () => stack.Db.ScalarAsync<long>($"SELECT count(*) FROM processed_events WHERE event_id IN ('{string.Join("','", eventIds)}')"),
        n => n == eventIds.Length, Deadline, $"events {string.Join(", ", eventIds)} processed");

    [Theory(Timeout = 120_000)]
    [InlineData("direct")]
    [InlineData("topic")]
    public async Task A_webhook_moves_stock_once_and_stale_or_repeated_ones_never_move_it_back(string handoff)
    {
        await using var stack = await StartAsync(handoff);

        // The web shop now shows 5; it should have shown 10 - 2 (buffer) = 8, so 3 were sold there.
        var sold = Webhook("web", "wix", "W-1", quantity: 5, sequence: 1);
        await stack.Producer.ProduceAsync(stack.Topics.Webhooks, sold);
        await WaitProcessedAsync(stack, sold.Id);
        Assert.Equal(7, await Catalog.StockAsync(stack.Db, Tenant, "p1"));

        // The same webhook again, an older one, and one repeating its sequence: none changes anything.
        await stack.Producer.ProduceAsync(stack.Topics.Webhooks, sold);
        var older = Webhook("web", "wix", "W-1", quantity: 50, sequence: 0);
        var repeated = Webhook("web", "wix", "W-1", quantity: 100, sequence: 1);
        var nextSale = Webhook("web", "wix", "W-1", delta: -1, sequence: 2);
        foreach (var e in new[] { older, repeated, nextSale }) await stack.Producer.ProduceAsync(stack.Topics.Webhooks, e);
        await WaitProcessedAsync(stack, older.Id, repeated.Id, nextSale.Id);

        Assert.Equal(6, await Catalog.StockAsync(stack.Db, Tenant, "p1"));
        Assert.Equal(2, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM sync_events"));
        Assert.Equal(4, await stack.Db.ScalarAsync<int>("SELECT channel_stock FROM product_channel_mappings WHERE channel_id = 'web'"));
        // With the topic hand-off each applied change asked for a sync through the outbox, and the relay
        // delivered it to the Sync agent; directly, the Watcher marked the product pending itself.
        if (handoff == "topic") await WaitProcessedAsync(stack, $"{sold.Id}.sync", $"{nextSale.Id}.sync");
        else Assert.Equal(0, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE topic = 'sync'"));
        // Either way Sync pushed and recorded both changes (as failed: the channels lead nowhere), and
        // nothing stays pending (a request relayed after a push that already covered it is pushed once more).
        await Eventually.WaitAsync(() => stack.Db.ScalarAsync<long>("SELECT count(*) FROM sync_events WHERE completed_at IS NOT NULL"), n => n == 2,
            Deadline, "both sync records completed");
        await Eventually.WaitAsync(() => stack.Db.ScalarAsync<long>("SELECT count(*) FROM sync_pending"), n => n == 0, Deadline, "nothing left pending");
        // Sync's own follow-ups (alert checks of the channels it could not reach) are relayed too.
        await Eventually.WaitAsync(() => stack.Db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), n => n == 0,
            Deadline, "the outbox relayed in full");
    }

    [Fact(Timeout = 120_000)]
    public async Task Sales_reported_in_the_same_instant_all_count_and_an_older_one_after_a_newer_level_does_not()
    {
        // Regression: channels stamp whole seconds, and a second sale in the same second as the first
        // was dropped as stale; only a report older than the last one is.
        await using var stack = await StartAsync();
        var second = DateTimeOffset.Parse("2026-11-27T10:00:01Z", System.Globalization.CultureInfo.InvariantCulture);
        var sales = Enumerable.Range(0, 3).Select(_ => Webhook("web", "wix", "W-1", delta: -1, at: second)).ToList();
        foreach (var e in sales) await stack.Producer.ProduceAsync(stack.Topics.Webhooks, e);
        await WaitProcessedAsync(stack, [.. sales.Select(e => e.Id)]);
        Assert.Equal(7, await Catalog.StockAsync(stack.Db, Tenant, "p1"));

        // A level at a later second, then a sale stamped before it: the level already counts that sale.
        var level = Webhook("web", "wix", "W-1", quantity: 4, at: second.AddSeconds(2));
        var late = Webhook("web", "wix", "W-1", delta: -1, at: second.AddSeconds(1));
        foreach (var e in new[] { level, late }) await stack.Producer.ProduceAsync(stack.Topics.Webhooks, e);
        await WaitProcessedAsync(stack, level.Id, late.Id);
        Assert.Equal(6, await Catalog.StockAsync(stack.Db, Tenant, "p1")); // 5 → 4 on the web shop: one more sold
        Assert.Equal(4, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM sync_events"));
    }

    [Fact(Timeout = 120_000)]
    public async Task An_unmapped_item_raises_one_alert_and_is_not_retried()
    {
        await using var stack = await StartAsync();
        var events = Enumerable.Range(0, 3).Select(i => Webhook("web", "wix", "W-unknown", quantity: i, sequence: i)).ToArray();
        foreach (var e in events) await stack.Producer.ProduceAsync(stack.Topics.Webhooks, e);
        await WaitProcessedAsync(stack, events.Select(e => e.Id).ToArray());

        Assert.Equal(1, await stack.Db.ScalarAsync<long>(
            "SELECT count(*) FROM alerts WHERE kind = 'unknown_mapping' AND subject = 'web/W-unknown' AND status = 'open'"));
        Assert.Equal(10, await Catalog.StockAsync(stack.Db, Tenant, "p1"));
        Assert.Equal(0, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM sync_events"));
    }
}
