namespace Fairlane.Partitioning.Scheduling;

/// <summary>
/// A tenant's share and bounds. <see cref="Weight"/> is its share of worker time against other
/// backlogged tenants; <see cref="Concurrency"/> 1 means strict per-tenant order, more allows that
/// many events at once but never two of one ordering key; <see cref="RatePerSecond"/> caps starts;
/// <see cref="MaxQueueDepth"/> is how many events it may hold in memory before the rest are parked.
/// </summary>
public sealed record TenantLimits(int Weight = 1, int Concurrency = 1, double? RatePerSecond = null, int MaxQueueDepth = 1_000)
{
    public static TenantLimits Default { get; } = new();
}
