using Fairlane.Partitioning.Scheduling;

namespace Fairlane.Partitioning.Engine;

/// <summary>
/// A tenant as the engine applies it: whether it is held (paused or over budget: nothing of it runs,
/// its events wait in the park) and its scheduling limits. A null <see cref="Concurrency"/> is automatic
/// (<see cref="AutoConcurrency"/>); a null <see cref="MaxQueueDepth"/> means the engine's default queue
/// depth. <see cref="Ordering"/> <see cref="OrderingScope.Tenant"/> runs the tenant strictly in order, one
/// event at a time, whatever its concurrency.
/// </summary>
public sealed record TenantSettings(
    string Id, bool IsHeld, int Weight, int? Concurrency, double? RatePerSecond, int? MaxQueueDepth, OrderingScope Ordering = OrderingScope.Item)
{
    /// <summary>
    /// The events a tenant without an explicit concurrency may run at once on a node of
    /// <paramref name="workers"/> workers: half the workers per unit of weight, never more than all of
    /// them. A lone tenant can then use the node, and a heavier one gets room to use its larger share,
    /// while deficit round robin still divides worker time by weight.
    /// </summary>
    public static int AutoConcurrency(int workers, int weight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(weight, 1);
        var half = (workers + 1) / 2; // ceil(workers / 2)
        return (int)Math.Min(workers, (long)half * weight);
    }

    /// <summary>The events this tenant may run at once on a node of <paramref name="workers"/> workers.</summary>
    public int EffectiveConcurrency(int workers) =>
        Ordering == OrderingScope.Tenant ? 1 : Concurrency ?? AutoConcurrency(workers, Weight);

    internal TenantLimits Limits(int defaultQueueDepth, int workers) =>
        new(Weight, EffectiveConcurrency(workers), RatePerSecond, MaxQueueDepth ?? defaultQueueDepth, Ordering);
}
