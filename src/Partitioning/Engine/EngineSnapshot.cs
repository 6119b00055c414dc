namespace Fairlane.Partitioning.Engine;

/// <summary>The engine's totals and its deepest tenants, for metrics.</summary>
/// <param name="InTransit">Events being parked or dead-lettered: still buffered, no longer in the scheduler.</param>
/// <param name="RoundGrant">Worker time a scheduling round grants a weight-1 tenant now.</param>
public sealed record EngineSnapshot(int Queued, int InFlight, int InTransit, int ActiveTenants, int ParkedTenants,
    IReadOnlyList<(string Tenant, int Queued, int InFlight)> TopTenants, TimeSpan RoundGrant);
