using System.Reflection;
using System.Text.Json;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;

namespace Fairlane.Tests.Contracts;

/// <summary>The event catalogue: one entry per event type, its topic, its ordering key and its payload's JSON.</summary>
public sealed class EventCatalogTests
{
    private static readonly StockChanged Stock = new() { ChannelType = "wix", ChannelId = "web", ExternalId = "item-7", Delta = -2, Sequence = 41 };
    private static readonly SyncRequested Sync = new() { ProductId = "p9", OriginChannelId = "web", Reason = "webhook", SyncEventId = 12 };
    private static readonly ReconcileTenant Reconcile = new() { RunId = Guid.NewGuid(), Epoch = 3, DriftThreshold = 5 };
    private static readonly AlertCheck Alert = new() { Check = "low_stock", ProductId = "p9" };
    private static readonly TenantCommand Command = new() { Command = "update", Name = "Shop", Weight = 4, RatePerSecond = 2.5, MonthlyBudget = 1_000 };
    private static readonly CatalogProductUpserted ProductUpserted = new() { ProductId = "p9", Sku = "S-9", Name = "Mug", BufferStock = 2, LowStockThreshold = 1 };
    private static readonly CatalogProductDeleted ProductDeleted = new() { ProductId = "p9" };
    private static readonly CatalogMappingUpserted MappingUpserted = new() { ChannelId = "web", ExternalId = "item-7", ProductId = "p9" };
    private static readonly CatalogMappingDeleted MappingDeleted = new() { ChannelId = "web", ExternalId = "item-7" };

    private static IEnumerable<string> DeclaredTypes() =>
        typeof(EventTypes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

    [Fact]
    public void Every_event_type_has_exactly_one_entry_and_every_entry_is_a_declared_type()
    {
        var declared = DeclaredTypes().ToList();
        Assert.Equal(9, declared.Count);
        foreach (var type in declared) Assert.Single(EventCatalog.All, d => d.Type == type);
        Assert.Equal(declared.Order(), EventCatalog.All.Select(d => d.Type).Order());
        Assert.Equal(EventCatalog.All.Count, EventCatalog.All.Select(d => d.PayloadType).Distinct().Count());
    }

    [Theory]
    [InlineData(EventTypes.StockChanged, TopicRole.Webhooks, "pre.webhooks", typeof(StockChanged))]
    [InlineData(EventTypes.SyncRequested, TopicRole.Sync, "pre.sync", typeof(SyncRequested))]
    [InlineData(EventTypes.ReconcileTenant, TopicRole.Guardian, "pre.guardian", typeof(ReconcileTenant))]
    [InlineData(EventTypes.AlertCheck, TopicRole.Alerts, "pre.alerts", typeof(AlertCheck))]
    [InlineData(EventTypes.TenantCommand, TopicRole.Control, "pre.control", typeof(TenantCommand))]
    [InlineData(EventTypes.CatalogProductUpserted, TopicRole.Control, "pre.control", typeof(CatalogProductUpserted))]
    [InlineData(EventTypes.CatalogProductDeleted, TopicRole.Control, "pre.control", typeof(CatalogProductDeleted))]
    [InlineData(EventTypes.CatalogMappingUpserted, TopicRole.Control, "pre.control", typeof(CatalogMappingUpserted))]
    [InlineData(EventTypes.CatalogMappingDeleted, TopicRole.Control, "pre.control", typeof(CatalogMappingDeleted))]
    public void Each_type_belongs_on_its_topic_with_its_payload_type(string type, TopicRole role, string topic, Type payload)
    {
        var definition = EventCatalog.Find(type);
        Assert.NotNull(definition);
        Assert.Equal(role, definition.Topic);
        Assert.Equal(topic, new Topics("pre").For(definition.Topic));
        Assert.Equal(payload, definition.PayloadType);
    }

    [Fact]
    public void Ordering_keys_follow_from_the_typed_payload()
    {
        Assert.Equal("web/item-7", EventCatalog.StockChanged.OrderingKeyOf(Stock));
        Assert.Equal("product/p9", EventCatalog.SyncRequested.OrderingKeyOf(Sync));
        Assert.Equal("alert/low_stock", EventCatalog.AlertCheck.OrderingKeyOf(Alert));
        Assert.Equal(EventTypes.ReconcileTenant, EventCatalog.ReconcileTenant.OrderingKeyOf(Reconcile));
        Assert.Equal(EventTypes.TenantCommand, EventCatalog.TenantCommand.OrderingKeyOf(Command));
        // One key for all of a tenant's catalogue events: a mapping never overtakes the product it names.
        Assert.Equal("catalog", EventCatalog.CatalogProductUpserted.OrderingKeyOf(ProductUpserted));
        Assert.Equal("catalog", EventCatalog.CatalogMappingUpserted.OrderingKeyOf(MappingUpserted));
        // Decoding computes the same key and keeps it on the event.
        Assert.Equal("web/item-7", RoundTrip(EventCatalog.StockChanged, Stock).OrderingKey);
    }

    [Fact]
    public void Every_payload_type_round_trips_through_the_envelope()
    {
        Assert.Equal(Stock, RoundTrip(EventCatalog.StockChanged, Stock).Payload);
        Assert.Equal(Sync, RoundTrip(EventCatalog.SyncRequested, Sync).Payload);
        Assert.Equal(Reconcile, RoundTrip(EventCatalog.ReconcileTenant, Reconcile).Payload);
        Assert.Equal(Alert, RoundTrip(EventCatalog.AlertCheck, Alert).Payload);
        Assert.Equal(Command, RoundTrip(EventCatalog.TenantCommand, Command).Payload);
        Assert.Equal(ProductUpserted, RoundTrip(EventCatalog.CatalogProductUpserted, ProductUpserted).Payload);
        Assert.Equal(ProductDeleted, RoundTrip(EventCatalog.CatalogProductDeleted, ProductDeleted).Payload);
        Assert.Equal(MappingUpserted, RoundTrip(EventCatalog.CatalogMappingUpserted, MappingUpserted).Payload);
        Assert.Equal(MappingDeleted, RoundTrip(EventCatalog.CatalogMappingDeleted, MappingDeleted).Payload);
        // One round trip per entry: a new entry without a case here fails this count.
        Assert.Equal(9, EventCatalog.All.Count);
    }

    [Theory]
    [InlineData(EventTypes.StockChanged, """{"channelType":"wix","externalId":"item-7","delta":1}""")] // channelId missing
    [InlineData(EventTypes.SyncRequested, """{"productId":7,"reason":"manual"}""")]                   // a number for a string
    [InlineData(EventTypes.ReconcileTenant, """{"runId":"not-a-guid","epoch":1,"driftThreshold":5}""")]
    [InlineData(EventTypes.AlertCheck, """["low_stock"]""")]                                          // not an object
    [InlineData(EventTypes.TenantCommand, "null")]
    [InlineData(EventTypes.CatalogProductUpserted, """{"sku":"S-1"}""")]                            // productId missing
    [InlineData(EventTypes.CatalogMappingUpserted, """{"channelId":"web","externalId":"x"}""")]      // productId missing
    public void A_payload_of_the_wrong_shape_fails_to_decode_with_an_error_naming_its_type(string type, string payload)
    {
        var envelope = new EventEnvelope
        {
            Id = "e1", TenantId = "acme", Type = type, SchemaVersion = SchemaVersions.Current, OccurredAt = DateTimeOffset.UnixEpoch,
            Payload = JsonDocument.Parse(payload).RootElement.Clone(),
        };

        Assert.False(EventCatalog.TryDecode(envelope, out var typed, out var error));
        Assert.Null(typed);
        Assert.Contains($"'{type}'", error);
        var thrown = Assert.Throws<JsonException>(() => EventCatalog.Find(type)!.Decode(envelope));
        Assert.Contains($"'{type}'", thrown.Message);
    }

    [Fact]
    public void An_unknown_type_does_not_decode()
    {
        var envelope = EventCatalog.StockChanged.Create("acme", Stock) with { Type = "stock.teleported" };

        Assert.Null(EventCatalog.Find("stock.teleported"));
        Assert.False(EventCatalog.TryDecode(envelope, out _, out var error));
        Assert.Contains("'stock.teleported'", error);
    }

    [Fact]
    public void A_typed_event_refuses_to_be_read_as_another_type()
    {
        var typed = RoundTrip(EventCatalog.StockChanged, Stock);

        Assert.Same(typed, typed.As<StockChanged>());
        Assert.Throws<InvalidOperationException>(() => typed.As<SyncRequested>());
    }

    // Encoded to bytes and decoded back the way intake reads a record.
    private static TypedEnvelope<T> RoundTrip<T>(EventDefinition<T> definition, T payload) where T : class
    {
        var bytes = EnvelopeCodec.Encode(definition.Create("acme", payload, id: "e1"));
        var decoded = EnvelopeCodec.Decode("acme", bytes);
        Assert.True(EventCatalog.TryDecode(decoded.Envelope!, out var typed, out var error), error);
        Assert.Equal(definition.Type, typed.Type);
        return typed.As<T>();
    }
}
