namespace Fairlane.Partitioning.Parking;

/// <summary>Why an incoming event goes to the durable park instead of memory.</summary>
public enum ParkReason
{
    /// <summary>The tenant is paused: keep its events, run none.</summary>
    Paused,

    /// <summary>The tenant's in-memory queue is at its cap.</summary>
    OverCap,

    /// <summary>Older events of the tenant are parked: newer ones queue behind them, in order.</summary>
    Draining,
}

/// <summary>Where an incoming event goes (DESIGN §3 intake).</summary>
public static class ParkPolicy
{
    /// <summary>The reason to park, or null to queue in memory.</summary>
    public static ParkReason? Decide(bool paused, bool olderEventsParked, int queued, int maxQueueDepth) =>
        paused ? ParkReason.Paused
        : olderEventsParked ? ParkReason.Draining
        : queued >= maxQueueDepth ? ParkReason.OverCap
        : null;
}
