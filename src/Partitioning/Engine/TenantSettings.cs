using Fairlane.Partitioning.Scheduling;

namespace Fairlane.Partitioning.Engine;

/// <summary>
/// A tenant as the engine applies it: whether it is held (paused or over budget: nothing of it runs,
/// its events wait in the park) and its scheduling limits. A null <see cref="MaxQueueDepth"/> means
/// the engine's default queue depth.
/// </summary>
public sealed record TenantSettings(string Id, bool IsHeld, int Weight, int Concurrency, double? RatePerSecond, int? MaxQueueDepth)
{
    internal TenantLimits Limits(int defaultQueueDepth) => new(Weight, Concurrency, RatePerSecond, MaxQueueDepth ?? defaultQueueDepth);
}
