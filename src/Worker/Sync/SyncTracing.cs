using System.Diagnostics;
using Fairlane.Agents.Sync;
using Fairlane.Worker.Observability;

namespace Fairlane.Worker.Sync;

/// <summary>
/// The span of one push pass. A pass pushes products whose requests came from many traces (requests
/// fold into one push), so it links to every request's context; it is the child of the first, so a
/// single webhook's trace runs on into the pass and the channel calls made under it.
/// </summary>
internal static class SyncTracing
{
    public static Activity? StartPass(IReadOnlyList<ClaimedSync> claimed)
    {
        if (!Tracing.Enabled) return null;
        var contexts = claimed.SelectMany(c => c.TraceParents ?? []).Distinct(StringComparer.Ordinal)
            .Select(p => Tracing.Parse(p, null)).Where(c => c != default).ToList();
        var span = Tracing.Source.StartActivity("sync push", ActivityKind.Internal, contexts.FirstOrDefault(),
            links: contexts.Select(c => new ActivityLink(c)));
        var tenants = claimed.Select(c => c.TenantId).Distinct(StringComparer.Ordinal).ToList();
        span?.SetTag(Tracing.Tenant, tenants.Count == 1 ? tenants[0] : null).SetTag("fairlane.tenants", tenants.Count)
            .SetTag(Tracing.Agent, "sync").SetTag("fairlane.products", claimed.Count);
        return span;
    }
}
