using Fairlane.Agents.Alerting;
using Fairlane.Agents.Sync;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Agents.Handlers;

/// <summary>The Watcher handler called directly with typed stock reports, in a tenant-bound transaction.</summary>
[Trait("Category", "Integration")]
public sealed class WatcherHandlerTests
{
    private const string Tenant = "grocer";

    private static async Task<HandlerTestBed> StartAsync(int? lowStockThreshold = null)
    {
        var bed = await HandlerTestBed.StartAsync(Tenant);
        await Catalog.SeedAsync(bed.Db, Tenant, [new("web", "wix")], [new("p1", 10, LowStockThreshold: lowStockThreshold)],
            [new("p1", "web", "web-1")]);
        return bed;
    }

    private static StockChanged Report(int? delta = null, int? quantity = null, string externalId = "web-1") =>
        new() { ChannelType = "wix", ChannelId = "web", ExternalId = externalId, Delta = delta, Quantity = quantity };

    [Fact(Timeout = 60_000)]
    public async Task A_sale_moves_stock_records_the_sync_and_marks_the_product_pending_for_sync()
    {
        await using var bed = await StartAsync();

        var handled = await bed.HandleAsync(bed.Watcher(), Tenant, Report(delta: -3));

        Assert.True(handled.Outcome.Completed);
        Assert.Equal(7, await Catalog.StockAsync(bed.Db, Tenant, "p1"));
        Assert.Equal(7, await bed.Db.ScalarAsync<int>($"SELECT channel_stock FROM product_channel_mappings WHERE tenant_id = '{Tenant}'"));
        Assert.Equal("p1 7 pending", await bed.Db.ScalarAsync<string>(
            $"SELECT product_id || ' ' || quantity || ' ' || status FROM sync_events WHERE source_event_id = '{handled.EventId}'"));
        // Handed straight to Sync: pending, to be pushed everywhere but where the sale happened; nothing on the sync topic.
        Assert.Equal("p1 web", await bed.Db.ScalarAsync<string>(
            $"SELECT product_id || ' ' || origin_channel_id FROM sync_pending WHERE tenant_id = '{Tenant}' AND NOT origin_mixed"));
        Assert.Empty(await bed.OutboxAsync(Tenant));
    }

    [Fact(Timeout = 60_000)]
    public async Task With_the_topic_handoff_a_sale_asks_for_its_sync_on_the_sync_topic()
    {
        await using var bed = await StartAsync();

        var handled = await bed.HandleAsync(bed.Watcher(SyncHandoff.Topic), Tenant, Report(delta: -3));

        Assert.Equal(7, await Catalog.StockAsync(bed.Db, Tenant, "p1"));
        var (topic, emitted) = Assert.Single(await bed.OutboxAsync(Tenant));
        Assert.Equal("sync", topic);
        Assert.Equal($"{handled.EventId}.sync", emitted.Id);
        var request = emitted.As<SyncRequested>().Payload;
        Assert.Equal(("p1", "web", "webhook"), (request.ProductId, request.OriginChannelId, request.Reason));
        Assert.Equal(await bed.Db.ScalarAsync<long>($"SELECT id FROM sync_events WHERE source_event_id = '{handled.EventId}'"), request.SyncEventId);
        Assert.Equal(0L, await bed.Db.ScalarAsync<long>("SELECT count(*) FROM sync_pending"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Crossing_the_low_stock_threshold_asks_for_a_low_stock_check_on_the_alerts_topic()
    {
        await using var bed = await StartAsync(lowStockThreshold: 5);

        var handled = await bed.HandleAsync(bed.Watcher(), Tenant, Report(quantity: 4));

        Assert.Equal(4, await Catalog.StockAsync(bed.Db, Tenant, "p1"));
        var (topic, emitted) = Assert.Single(await bed.OutboxAsync(Tenant));
        Assert.Equal("alerts", topic);
        var check = emitted.As<AlertCheck>();
        Assert.Equal($"{handled.EventId}.low-stock", check.Id);
        Assert.Equal((AlertKinds.LowStock, "p1"), (check.Payload.Check, check.Payload.ProductId));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unmapped_item_raises_one_alert_and_changes_no_stock()
    {
        await using var bed = await StartAsync();

        var handled = await bed.HandleAsync(bed.Watcher(), Tenant, Report(delta: -1, externalId: "web-404"));

        Assert.True(handled.Outcome.Completed);
        Assert.Equal(10, await Catalog.StockAsync(bed.Db, Tenant, "p1"));
        Assert.Equal("web/web-404", await bed.Db.ScalarAsync<string>(
            $"SELECT subject FROM alerts WHERE tenant_id = '{Tenant}' AND kind = '{AlertKinds.UnknownMapping}' AND status = 'open'"));
        Assert.Empty(await bed.OutboxAsync(Tenant));
        Assert.Equal(0L, await bed.Db.ScalarAsync<long>("SELECT count(*) FROM sync_pending"));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_report_with_neither_quantity_nor_delta_is_a_permanent_failure_that_writes_nothing()
    {
        await using var bed = await StartAsync();

        var handled = await bed.HandleAsync(bed.Watcher(), Tenant, Report());

        Assert.False(handled.Outcome.Completed);
        Assert.Equal(10, await Catalog.StockAsync(bed.Db, Tenant, "p1"));
        Assert.Equal(0L, await bed.Db.ScalarAsync<long>("SELECT count(*) FROM sync_events"));
        Assert.Empty(await bed.OutboxAsync(Tenant));
        Assert.Equal(0L, await bed.Db.ScalarAsync<long>("SELECT count(*) FROM sync_pending"));
    }
}
