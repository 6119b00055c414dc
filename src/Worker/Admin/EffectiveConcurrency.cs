using Fairlane.Agents.Tenants;
using Fairlane.Partitioning.Engine;

namespace Fairlane.Worker.Admin;

/// <summary>
/// Fills in what a tenant's concurrency means on a node of a given size, so the admin API and the CLI
/// show the number the engine applies, not only "auto" (the engine's own rule, <see cref="TenantSettings.AutoConcurrency"/>).
/// </summary>
internal static class EffectiveConcurrency
{
    public static TenantDetails For(TenantDetails tenant, int workers) => tenant with
    {
        EffectiveConcurrency = tenant.Ordering == TenantOrdering.Tenant ? 1
            : tenant.Concurrency ?? TenantSettings.AutoConcurrency(workers, tenant.Weight),
    };

    public static List<TenantDetails> For(IEnumerable<TenantDetails> tenants, int workers) => tenants.Select(t => For(t, workers)).ToList();
}
