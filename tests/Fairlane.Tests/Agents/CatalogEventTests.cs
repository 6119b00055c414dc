using System.Text.Json;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;
using Fairlane.Tests.Worker;
using Fairlane.Tests.Worker.Tenants;

namespace Fairlane.Tests.Agents;

/// <summary>Catalogue events on the control topic: the same rows as the API's import, idempotent, bad ones dead-lettered.</summary>
[Trait("Category", "Integration")]
public sealed class CatalogEventTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static EventEnvelope Event<T>(string tenant, T payload) where T : class
    {
        var definition = EventCatalog.Of<T>();
        return EnvelopeCodec.Create(tenant, definition.Type, payload, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)FairlaneJsonContext.Default.GetTypeInfo(typeof(T))!);
    }

    private static async Task SendAndWaitAsync(TestStack stack, params EventEnvelope[] events)
    {
        foreach (var e in events) await stack.Producer.ProduceAsync(stack.Topics.Control, e);
        var last = events[^1].Id;
        await Eventually.WaitAsync(() => stack.Db.ScalarAsync<long>($"SELECT count(*) FROM processed_events WHERE event_id = '{last}'"),
            n => n == 1, Deadline, $"event {last} processed");
    }

    [Fact(Timeout = 120_000)]
    public async Task Catalogue_events_end_in_the_same_rows_as_the_api_import()
    {
        await using var stack = await new StackBuilder().Kafka(1, 3).Tenants("by-api", "by-events").StartAsync();
        using var admin = new AdminClient(stack.Worker.AdminPort);
        Assert.Equal(200, (await admin.SendAsync(HttpMethod.Put, "/admin/tenants/by-api/catalog", CatalogFileFormatTests.Json)).Status);
        // Channels carry credentials, so they come in through the API only.
        var channels = JsonDocument.Parse(CatalogFileFormatTests.Json).RootElement.GetProperty("channels").GetRawText();
        Assert.Equal(200, (await admin.SendAsync(HttpMethod.Put, "/admin/tenants/by-events/catalog", $$"""{"channels":{{channels}}}""")).Status);

        var p1 = Event("by-events", new CatalogProductUpserted { ProductId = "p1", Sku = "SKU-1", Name = "Mug \"large\"", Stock = 10, BufferStock = 2, LowStockThreshold = 3 });
        await SendAndWaitAsync(stack,
            Event("by-events", new CatalogProductUpserted { ProductId = "gone", Sku = "X" }),
            Event("by-events", new CatalogMappingUpserted { ChannelId = "wix", ExternalId = "W-gone", ProductId = "gone" }),
            p1,
            Event("by-events", new CatalogProductUpserted { ProductId = "p2", Sku = "SKU-2", Name = "Plate" }),
            Event("by-events", new CatalogMappingUpserted { ChannelId = "wix", ExternalId = "W 1", ProductId = "p1" }),
            Event("by-events", new CatalogMappingUpserted { ChannelId = "pos", ExternalId = "E-2", ProductId = "p2" }),
            Event("by-events", new CatalogMappingUpserted { ChannelId = "pos", ExternalId = "E-gone", ProductId = "gone" }),
            Event("by-events", new CatalogMappingDeleted { ChannelId = "wix", ExternalId = "W-gone" }),
            Event("by-events", new CatalogProductDeleted { ProductId = "gone" }),
            Event("by-events", new CatalogProductDeleted { ProductId = "never-was" }));
        // A re-delivered upsert is skipped by the ledger, and the stock the channels moved since stays.
        await stack.Db.ExecuteAsync("UPDATE products SET stock = 4 WHERE tenant_id = 'by-events' AND id = 'p1'");
        await stack.Producer.ProduceAsync(stack.Topics.Control, p1);
        await SendAndWaitAsync(stack, Event("by-events", new CatalogProductUpserted { ProductId = "marker" }), Event("by-events", new CatalogProductDeleted { ProductId = "marker" }));
        Assert.Equal(4, await Catalog.StockAsync(stack.Db, "by-events", "p1"));
        await stack.Db.ExecuteAsync("UPDATE products SET stock = 10 WHERE tenant_id = 'by-events' AND id = 'p1'");

        Assert.Equal(await CatalogApiTests.CatalogRowsAsync(stack.Db, "by-api"), await CatalogApiTests.CatalogRowsAsync(stack.Db, "by-events"));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_catalogue_event_the_rules_refuse_is_dead_lettered_and_writes_nothing()
    {
        await using var stack = await new StackBuilder().Kafka(1, 3).Tenants("acme").StartAsync();
        await stack.Producer.ProduceAsync(stack.Topics.Control, Event("acme", new CatalogMappingUpserted { ChannelId = "wix", ExternalId = "W-1", ProductId = "p1" }));
        await stack.Producer.ProduceAsync(stack.Topics.Control, Event("acme", new CatalogProductUpserted { ProductId = "p1", BufferStock = -1 }));

        var letters = await DeadLetterReader.ReadAsync(stack.Cluster.BootstrapServers, stack.Topics.DeadLetters, 2, Deadline);
        Assert.All(letters, l => Assert.Equal(DeadLetterReasons.PermanentFailure, l.Reason));
        Assert.Equal(0, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM products") + await stack.Db.ScalarAsync<long>("SELECT count(*) FROM product_channel_mappings"));
    }
}
