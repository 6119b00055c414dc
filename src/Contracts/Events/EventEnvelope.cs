using System.Text.Json;

namespace Fairlane.Contracts.Events;

/// <summary>
/// The JSON envelope every Fairlane topic carries (except the dead-letter topic, which keeps the
/// original bytes). The Kafka key of the record must equal <see cref="TenantId"/>.
/// </summary>
public sealed record EventEnvelope
{
    /// <summary>Producer-assigned id, unique per tenant: the idempotency key of the event.</summary>
    public required string Id { get; init; }

    /// <summary>The tenant that owns the event; also the Kafka key.</summary>
    public required string TenantId { get; init; }

    /// <summary>The event type, one of <see cref="EventTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>The payload schema version; see <see cref="SchemaVersions"/>.</summary>
    public required int SchemaVersion { get; init; }

    /// <summary>When the fact happened at its source (for a webhook: when the channel saw it).</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The type-specific payload.</summary>
    public required JsonElement Payload { get; init; }
}
