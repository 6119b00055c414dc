using System.Text.Json;
using System.Text.Json.Nodes;
using Fairlane.Contracts.Events;

namespace Fairlane.Tests.Contracts;

/// <summary>
/// Every event Fairlane produces validates against its published schema, and a broken one does not —
/// with the schema and the consumer's decoder giving the same verdict, so the schema promises neither
/// more nor less than the worker accepts.
/// </summary>
public sealed class SchemaValidationTests
{
    private const string Tenant = "acme-01";

    /// <summary>
    /// For each catalogue entry, envelopes built as the producers build them (the entry's Create, then
    /// EnvelopeCodec.Encode: what OutboxWriter stores, the relay publishes and FairlaneProducer sends):
    /// one with every optional field set, one with only the required ones.
    /// </summary>
    private static IEnumerable<EventEnvelope> Produced()
    {
        yield return EventCatalog.StockChanged.Create(Tenant, new StockChanged
        {
            ChannelType = "wix", ChannelId = "wix-main", ExternalId = "W-1", Quantity = 7, Sequence = 42,
        });
        yield return EventCatalog.StockChanged.Create(Tenant, new StockChanged { ChannelType = "eposnow", ChannelId = "till", ExternalId = "E-9", Delta = -2 });
        yield return EventCatalog.SyncRequested.Create(Tenant, new SyncRequested { ProductId = "p1", OriginChannelId = "wix-main", Reason = "webhook", SyncEventId = 12 });
        yield return EventCatalog.SyncRequested.Create(Tenant, new SyncRequested { ProductId = "p1", Reason = "manual" });
        yield return EventCatalog.ReconcileTenant.Create(Tenant, new ReconcileTenant { RunId = Guid.NewGuid(), Epoch = 3, DriftThreshold = 5 });
        yield return EventCatalog.AlertCheck.Create(Tenant, new AlertCheck { Check = "low_stock", ProductId = "p1", ChannelId = "wix-main" });
        yield return EventCatalog.AlertCheck.Create(Tenant, new AlertCheck { Check = "all" });
        yield return EventCatalog.TenantCommand.Create(Tenant, new TenantCommand
        {
            Command = "register", Name = "Acme", Weight = 10, Concurrency = 4, Ordering = "item", RatePerSecond = 50.5, MaxQueueDepth = 1000, MonthlyBudget = 100_000,
        });
        yield return EventCatalog.TenantCommand.Create(Tenant, new TenantCommand { Command = "pause" });
        yield return EventCatalog.CatalogProductUpserted.Create(Tenant, new CatalogProductUpserted
        {
            ProductId = "p1", Sku = "SKU-1", Name = "Bread", Stock = 12, BufferStock = 2, LowStockThreshold = 3,
        });
        yield return EventCatalog.CatalogProductUpserted.Create(Tenant, new CatalogProductUpserted { ProductId = "p2" });
        yield return EventCatalog.CatalogProductDeleted.Create(Tenant, new CatalogProductDeleted { ProductId = "p2" });
        yield return EventCatalog.CatalogMappingUpserted.Create(Tenant, new CatalogMappingUpserted { ChannelId = "wix-main", ExternalId = "W-1", ProductId = "p1" });
        yield return EventCatalog.CatalogMappingDeleted.Create(Tenant, new CatalogMappingDeleted { ChannelId = "wix-main", ExternalId = "W-1" });
    }

    private static JsonObject Json(EventEnvelope envelope) => JsonNode.Parse(EnvelopeCodec.Encode(envelope))!.AsObject();

    [Fact]
    public void The_samples_cover_every_event_type_of_the_catalogue()
    {
        Assert.Equal(EventCatalog.All.Select(d => d.Type).Order(), Produced().Select(e => e.Type).Distinct().Order());
    }

    [Fact]
    public void Every_event_Fairlane_produces_validates_against_its_type_schema_and_the_envelope_schema()
    {
        foreach (var envelope in Produced())
        {
            var record = EnvelopeCodec.Encode(envelope);
            Assert.True(SchemaValidator.Errors(SchemaValidator.Of(envelope.Type), record) is null,
                $"{envelope.Type}: {SchemaValidator.Errors(SchemaValidator.Of(envelope.Type), record)}");
            Assert.Null(SchemaValidator.Errors(SchemaValidator.Envelope, record));
        }
    }

    [Fact]
    public void An_event_does_not_validate_against_another_types_schema()
    {
        foreach (var envelope in Produced())
        {
            foreach (var other in EventCatalog.All.Where(d => d.Type != envelope.Type))
                Assert.NotNull(SchemaValidator.Errors(SchemaValidator.Of(other.Type), Json(envelope)));
        }
    }

    [Fact]
    public void A_payload_without_a_required_field_fails_its_schema_and_the_decoder()
    {
        var checkedFields = 0;
        foreach (var envelope in Produced())
        {
            var definition = EventCatalog.Find(envelope.Type)!;
            var required = FairlaneJsonContext.Default.GetTypeInfo(definition.PayloadType)!.Properties.Where(p => p.IsRequired).Select(p => p.Name);
            foreach (var field in required)
            {
                var broken = Json(envelope);
                Assert.True(broken["payload"]!.AsObject().Remove(field), $"{envelope.Type} sample lacks {field}");
                AssertRejected(broken, $"{envelope.Type} without payload.{field}");
                checkedFields++;
            }
        }
        Assert.True(checkedFields >= EventCatalog.All.Count, $"only {checkedFields} required fields checked");
    }

    [Fact]
    public void A_payload_field_of_the_wrong_json_type_fails_its_schema_and_the_decoder()
    {
        foreach (var envelope in Produced())
        {
            foreach (var field in Json(envelope)["payload"]!.AsObject().Select(p => p.Key).ToList())
            {
                var broken = Json(envelope);
                var payload = broken["payload"]!.AsObject();
                payload[field] = WrongType(payload[field]!);
                AssertRejected(broken, $"{envelope.Type} with payload.{field} = {payload[field]!.ToJsonString()}");
            }
        }
    }

    [Theory]
    [InlineData("\"quantity\":5,\"delta\":-1")]
    [InlineData("\"sequence\":3")]
    [InlineData("\"quantity\":null,\"delta\":null")]
    public void A_stock_change_needs_exactly_one_of_quantity_and_delta(string fields)
    {
        var record = JsonNode.Parse(EnvelopeCodec.Encode(Produced().First()))!.AsObject();
        record["payload"] = JsonNode.Parse($$"""{"channelType":"wix","channelId":"web","externalId":"W-1",{{fields}}}""");

        // The decoder reads it; the Watcher refuses it (permanent-failure), and the schema says so up front.
        Assert.True(Decodes(Tenant, record));
        Assert.NotNull(SchemaValidator.Errors(SchemaValidator.Of(EventTypes.StockChanged), record));
    }

    [Fact]
    public void A_stock_change_with_one_of_quantity_and_delta_and_the_other_null_validates()
    {
        var record = JsonNode.Parse(EnvelopeCodec.Encode(Produced().First()))!.AsObject();
        record["payload"] = JsonNode.Parse("""{"channelType":"wix","channelId":"web","externalId":"W-1","quantity":4,"delta":null}""");

        Assert.Null(SchemaValidator.Errors(SchemaValidator.Of(EventTypes.StockChanged), record));
    }

    [Theory]
    [InlineData("id")]
    [InlineData("tenantId")]
    [InlineData("type")]
    [InlineData("schemaVersion")]
    [InlineData("occurredAt")]
    [InlineData("payload")]
    public void An_envelope_without_a_required_field_fails_its_schema_and_the_decoder(string field)
    {
        foreach (var envelope in Produced())
        {
            var broken = Json(envelope);
            Assert.True(broken.Remove(field));
            AssertRejected(broken, $"{envelope.Type} without {field}");
        }
    }

    [Theory]
    [InlineData("id", "42")]
    [InlineData("id", "\"\"")]
    [InlineData("tenantId", "\"no spaces allowed\"")]
    [InlineData("schemaVersion", "\"one\"")]
    [InlineData("schemaVersion", "2")]
    [InlineData("occurredAt", "\"yesterday\"")]
    [InlineData("payload", "[]")]
    public void An_envelope_field_with_a_bad_value_fails_its_schema_and_the_decoder(string field, string json)
    {
        var envelope = Produced().First();
        var broken = Json(envelope);
        broken[field] = JsonNode.Parse(json);
        AssertRejected(broken, $"{field} = {json}");
    }

    // A string becomes a number, anything else a string that reads as no number, date or id.
    private static JsonNode WrongType(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.String ? JsonValue.Create(12345) : JsonValue.Create("not-a-value");

    private static void AssertRejected(JsonObject record, string what)
    {
        var tenant = (record["tenantId"] as JsonValue)?.GetValueKind() == JsonValueKind.String ? record["tenantId"]!.GetValue<string>() : Tenant;
        var type = (record["type"] as JsonValue)?.GetValueKind() == JsonValueKind.String ? record["type"]!.GetValue<string>() : EventTypes.StockChanged;
        Assert.True(SchemaValidator.Errors(SchemaValidator.Of(type), record) is not null, $"the {type} schema accepted {what}");
        Assert.False(Decodes(tenant, record), $"the decoder accepted {what}, which the schema refuses");
    }

    // What the consume loop does with a record: decode the envelope, then its payload through the catalogue.
    private static bool Decodes(string key, JsonObject record)
    {
        var decoded = EnvelopeCodec.Decode(key, JsonSerializer.SerializeToUtf8Bytes(record));
        return decoded.IsValid && EventCatalog.TryDecode(decoded.Envelope!, out _, out _);
    }
}
