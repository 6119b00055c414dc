using System.Diagnostics;
using Fairlane.Agents.Handling;
using Fairlane.Contracts.Events;
using Fairlane.Partitioning.Engine;
using Fairlane.Partitioning.Offsets;

namespace Fairlane.Worker.Engine;

/// <summary>
/// A decoded event inside the engine, with what is needed to process it, park it, dead-letter it
/// with its original bytes, and complete its offset. Its payload was decoded once, at intake, through
/// the event catalogue: <see cref="Envelope"/> carries the typed record and the ordering key.
/// <see cref="Assignment"/> is set for an event read from Kafka (its offset completes when it
/// finishes); an event loaded from the park has <see cref="ParkId"/> instead (its offset completed
/// when it was parked).
/// </summary>
internal sealed class EngineEvent : IEngineEvent
{
    public required PartitionKey Partition { get; init; }
    public required long Offset { get; init; }
    public Assignment? Assignment { get; init; }
    public long? ParkId { get; init; }
    public required string Key { get; init; }
    public required byte[] Value { get; init; }
    public required IReadOnlyList<KeyValuePair<string, byte[]>> Headers { get; init; }
    public required TypedEnvelope Envelope { get; init; }
    public required IEventHandler Handler { get; init; }
    public DateTimeOffset? ProducedAt { get; init; }

    /// <summary>
    /// The span the event's processing continues: its consume span, or the context its record was sent
    /// under when loaded from the park. Default when tracing is off.
    /// </summary>
    public ActivityContext TraceContext { get; init; }

    /// <summary>When the event entered the engine's queue (UTC), the start of its queue-wait span; set only when traced.</summary>
    public DateTime QueuedAtUtc { get; init; }

    public string Tenant => Envelope.TenantId;

    public bool FromPark => ParkId is not null;

    public bool WaitsWhileHeld => Handler.RequiresRegisteredTenant && Handler.WaitsWhileTenantHeld;
}
