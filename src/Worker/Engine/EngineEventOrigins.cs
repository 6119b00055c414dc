using Fairlane.Agents.Handling;

namespace Fairlane.Worker.Engine;

internal static class EngineEventOrigins
{
    /// <summary>Where the event was consumed, as the processed-events ledger and handlers see it.</summary>
    public static EventOrigin Origin(this EngineEvent e) => new(e.Partition.Topic, e.Partition.Partition, e.Offset, e.ProducedAt);
}
