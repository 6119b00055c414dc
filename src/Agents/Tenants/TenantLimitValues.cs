namespace Fairlane.Agents.Tenants;

/// <summary>
/// A tenant's limits. A null optional limit means none or automatic: concurrency derived from the weight
/// and the node's Engine:Workers, no rate limit, the node's Engine:TenantQueueDepth, no monthly budget.
/// </summary>
internal sealed record TenantLimitValues(
    int Weight, int? Concurrency, double? RatePerSecond, int? MaxQueueDepth, long? MonthlyBudget, TenantOrdering Ordering = TenantOrdering.Item)
{
    /// <summary>What a tenant registered without limits gets (the table's column defaults).</summary>
    public static TenantLimitValues Defaults { get; } = new(1, null, null, null, null);
}
