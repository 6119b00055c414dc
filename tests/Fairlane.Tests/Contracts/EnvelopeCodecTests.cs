using System.Text;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;

namespace Fairlane.Tests.Contracts;

public sealed class EnvelopeCodecTests
{
    private static EventEnvelope Sample(string tenant = "acme") => EnvelopeCodec.Create(tenant, EventTypes.StockChanged,
        new StockChanged { ChannelType = "wix", ChannelId = "wix-1", ExternalId = "sku-9", Quantity = 12, Sequence = 7 },
        FairlaneJsonContext.Default.StockChanged);

    [Fact]
    public void Encode_then_decode_round_trips_envelope_and_payload()
    {
        var original = Sample();
        var decoded = EnvelopeCodec.Decode("acme", EnvelopeCodec.Encode(original));

        Assert.True(decoded.IsValid, decoded.Detail);
        var envelope = decoded.Envelope!;
        Assert.Equal(original.Id, envelope.Id);
        Assert.Equal("acme", envelope.TenantId);
        Assert.Equal(EventTypes.StockChanged, envelope.Type);
        Assert.Equal(SchemaVersions.Current, envelope.SchemaVersion);
        Assert.Equal(original.OccurredAt, envelope.OccurredAt);
        var payload = EventCatalog.StockChanged.Decode(envelope).Payload;
        Assert.Equal(new StockChanged { ChannelType = "wix", ChannelId = "wix-1", ExternalId = "sku-9", Quantity = 12, Sequence = 7 }, payload);
    }

    [Fact]
    public void Encoded_json_uses_camel_case_names_and_omits_nulls()
    {
        var json = Encoding.UTF8.GetString(EnvelopeCodec.Encode(Sample()));

        Assert.Contains("\"tenantId\":\"acme\"", json);
        Assert.Contains("\"schemaVersion\":1", json);
        Assert.Contains("\"externalId\":\"sku-9\"", json);
        Assert.DoesNotContain("delta", json);
    }

    [Fact]
    public void Ids_are_unique_per_created_envelope()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => Sample().Id).ToHashSet();
        Assert.Equal(1000, ids.Count);
    }

    [Theory]
    [InlineData("{not json", DeadLetterReasons.Malformed)]
    [InlineData("null", DeadLetterReasons.Malformed)]
    [InlineData("[]", DeadLetterReasons.Malformed)]
    [InlineData("""{"id":"e1","type":"stock.changed","schemaVersion":1,"occurredAt":"2026-01-01T00:00:00Z","payload":{}}""", DeadLetterReasons.Malformed)]
    [InlineData("""{"id":"","tenantId":"acme","type":"stock.changed","schemaVersion":1,"occurredAt":"2026-01-01T00:00:00Z","payload":{}}""", DeadLetterReasons.Malformed)]
    [InlineData("""{"id":"e1","tenantId":"ac me","type":"stock.changed","schemaVersion":1,"occurredAt":"2026-01-01T00:00:00Z","payload":{}}""", DeadLetterReasons.Malformed)]
    [InlineData("""{"id":"e1","tenantId":"other","type":"stock.changed","schemaVersion":1,"occurredAt":"2026-01-01T00:00:00Z","payload":{}}""", DeadLetterReasons.KeyMismatch)]
    [InlineData("""{"id":"e1","tenantId":"acme","type":"stock.changed","schemaVersion":99,"occurredAt":"2026-01-01T00:00:00Z","payload":{}}""", DeadLetterReasons.UnknownSchemaVersion)]
    public void Decode_rejects_bad_records_with_the_reason(string json, string reason)
    {
        var decoded = EnvelopeCodec.Decode("acme", Encoding.UTF8.GetBytes(json));

        Assert.False(decoded.IsValid);
        Assert.Equal(reason, decoded.Reason);
        Assert.False(string.IsNullOrWhiteSpace(decoded.Detail));
    }

    [Fact]
    public void Decode_rejects_empty_and_oversized_values_before_parsing()
    {
        Assert.Equal(DeadLetterReasons.Malformed, EnvelopeCodec.Decode("acme", []).Reason);

        var big = EnvelopeCodec.Encode(Sample());
        var oversized = EnvelopeCodec.Decode("acme", big, maxBytes: big.Length - 1);
        Assert.Equal(DeadLetterReasons.Oversized, oversized.Reason);
        Assert.True(EnvelopeCodec.Decode("acme", big, maxBytes: big.Length).IsValid);
    }

    [Fact]
    public void Decode_treats_a_missing_key_as_a_mismatch()
    {
        Assert.Equal(DeadLetterReasons.KeyMismatch, EnvelopeCodec.Decode(null, EnvelopeCodec.Encode(Sample())).Reason);
    }
}
