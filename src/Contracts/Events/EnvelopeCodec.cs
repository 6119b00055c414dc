using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Fairlane.Contracts.Events;

/// <summary>Builds, encodes and decodes envelopes, and says why a record is not a valid one.</summary>
public static class EnvelopeCodec
{
    /// <summary>The largest record value accepted by default (1 MiB).</summary>
    public const int DefaultMaxBytes = 1024 * 1024;

    /// <summary>Wraps a payload in an envelope of the current schema version.</summary>
    public static EventEnvelope Create<T>(
        string tenantId, string type, T payload, JsonTypeInfo<T> payloadType,
        string? id = null, DateTimeOffset? occurredAt = null) => new()
        {
            Id = id ?? Guid.CreateVersion7().ToString("N"),
            TenantId = tenantId,
            Type = type,
            SchemaVersion = SchemaVersions.Current,
            OccurredAt = occurredAt ?? DateTimeOffset.UtcNow,
            Payload = JsonSerializer.SerializeToElement(payload, payloadType),
        };

    /// <summary>The UTF-8 JSON of an envelope.</summary>
    public static byte[] Encode(EventEnvelope envelope) =>
        JsonSerializer.SerializeToUtf8Bytes(envelope, FairlaneJsonContext.Default.EventEnvelope);

    /// <summary>
    /// Decodes and validates a consumed record. On failure, returns a <see cref="DeadLetterReasons"/>
    /// reason and a detail for the dead-letter headers; the record must not be processed.
    /// </summary>
    public static DecodeResult Decode(string? key, ReadOnlySpan<byte> value, int maxBytes = DefaultMaxBytes)
    {
        if (value.Length > maxBytes)
            return DecodeResult.Fail(DeadLetterReasons.Oversized, $"value is {value.Length} bytes; the limit is {maxBytes}");
        if (value.IsEmpty)
            return DecodeResult.Fail(DeadLetterReasons.Malformed, "value is empty");

        EventEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(value, FairlaneJsonContext.Default.EventEnvelope);
        }
        catch (JsonException ex)
        {
            return DecodeResult.Fail(DeadLetterReasons.Malformed, ex.Message);
        }
        if (envelope is null)
            return DecodeResult.Fail(DeadLetterReasons.Malformed, "value is JSON null");
        if (string.IsNullOrWhiteSpace(envelope.Id))
            return DecodeResult.Fail(DeadLetterReasons.Malformed, "id is empty");
        if (!TenantIds.IsValid(envelope.TenantId))
            return DecodeResult.Fail(DeadLetterReasons.Malformed, "tenantId is not a valid tenant id");
        if (!string.Equals(key, envelope.TenantId, StringComparison.Ordinal))
            return DecodeResult.Fail(DeadLetterReasons.KeyMismatch, $"key '{key}' differs from tenantId '{envelope.TenantId}'");
        if (!SchemaVersions.IsSupported(envelope.SchemaVersion))
            return DecodeResult.Fail(DeadLetterReasons.UnknownSchemaVersion, $"schemaVersion {envelope.SchemaVersion} is not supported");
        return DecodeResult.Ok(envelope);
    }
}

/// <summary>The outcome of <see cref="EnvelopeCodec.Decode"/>.</summary>
public readonly record struct DecodeResult(EventEnvelope? Envelope, string? Reason, string? Detail)
{
    /// <summary>Whether the record decoded into a valid envelope.</summary>
    public bool IsValid => Envelope is not null;

    internal static DecodeResult Ok(EventEnvelope envelope) => new(envelope, null, null);

    internal static DecodeResult Fail(string reason, string detail) => new(null, reason, detail);
}
