using Fairlane.Partitioning.Offsets;

namespace Fairlane.Partitioning.Engine;

/// <summary>
/// What the engine core needs to know of an event. Its ordering key is not here: computing it may
/// read the payload, so the caller computes it before entering the core and passes it along.
/// </summary>
public interface IEngineEvent
{
    PartitionKey Partition { get; }
    long Offset { get; }
    string Tenant { get; }

    /// <summary>The assignment it was read under, for an event from Kafka (its offset completes when it finishes).</summary>
    Assignment? Assignment { get; }

    /// <summary>Loaded back from the park: its offset completed when it was parked, and its row still exists.</summary>
    bool FromPark { get; }

    /// <summary>Whether it waits (goes to the park) while its tenant is held; a held tenant's lifecycle commands still run.</summary>
    bool WaitsWhileHeld { get; }
}
