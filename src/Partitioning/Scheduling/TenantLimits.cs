namespace Fairlane.Partitioning.Scheduling;

/// <summary>What a tenant's events must keep in order against each other.</summary>
public enum OrderingScope
{
    /// <summary>Each ordering key (an item) runs in offset order, one event at a time; different items may overlap.</summary>
    Item,

    /// <summary>The whole tenant runs in offset order, one event at a time: every event is keyed by the tenant.</summary>
    Tenant,
}

/// <summary>
/// A tenant's share and bounds. <see cref="Weight"/> is its share of worker time against other
/// backlogged tenants; <see cref="Concurrency"/> is how many of its events may run at once, never two
/// of one ordering key (1: one at a time, in queue order); <see cref="Ordering"/> <see cref="OrderingScope.Tenant"/>
/// keys every event by the tenant, so it runs strictly in order whatever the concurrency says;
/// <see cref="RatePerSecond"/> caps starts; <see cref="MaxQueueDepth"/> is how many events it may hold
/// in memory before the rest are parked.
/// </summary>
public sealed record TenantLimits(
    int Weight = 1, int Concurrency = 1, double? RatePerSecond = null, int MaxQueueDepth = 1_000, OrderingScope Ordering = OrderingScope.Item)
{
    public static TenantLimits Default { get; } = new();

    /// <summary>Events that may run at once: one for a tenant-ordered tenant.</summary>
    public int MaxInFlight => Ordering == OrderingScope.Tenant ? 1 : Concurrency;

    /// <summary>Only the head of the queue may start: the events run one after another in queue order.</summary>
    internal bool Serial => MaxInFlight == 1;
}
