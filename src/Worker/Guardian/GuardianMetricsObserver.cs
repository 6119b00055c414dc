using Fairlane.Agents.Guardian;
using Fairlane.Worker.Observability;

namespace Fairlane.Worker.Guardian;

/// <summary>Counts reconciliation work, fenced jobs and failed tenants in Prometheus.</summary>
internal sealed class GuardianMetricsObserver : IGuardianObserver
{
    public void Reconciled(int checks, int repairs, int driftAlerts)
    {
        FairlaneMetrics.GuardianChecks.Inc(checks);
        FairlaneMetrics.GuardianRepairs.Inc(repairs);
        FairlaneMetrics.GuardianDriftAlerts.Inc(driftAlerts);
    }

    public void Fenced() => FairlaneMetrics.FencedWrites.Inc();

    public void Failed() => FairlaneMetrics.GuardianTenantsFailed.Inc();
}
