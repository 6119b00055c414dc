using Fairlane.Worker.Configuration;
using Fairlane.Worker.Observability;
using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Engine;

/// <summary>
/// Publishes the engine's gauges every second. Per-tenant series exist only for the deepest N
/// tenants and are removed when a tenant leaves that set, so a fleet of thousands of tenants
/// cannot explode Prometheus' cardinality.
/// </summary>
internal sealed class EngineMetricsReporter(FairEngine engine, IOptions<EngineOptions> options) : BackgroundService
{
    private HashSet<string> _exported = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken)) Report();
    }

    private void Report()
    {
        var s = engine.Snapshot(options.Value.TenantMetricsTopN);
        FairlaneMetrics.BufferedEvents.WithLabels("queued").Set(s.Queued);
        FairlaneMetrics.BufferedEvents.WithLabels("running").Set(s.InFlight);
        FairlaneMetrics.BufferedEvents.WithLabels("parking_or_dead_lettering").Set(s.InTransit);
        FairlaneMetrics.BufferedBytes.Set(engine.BufferedBytes);
        FairlaneMetrics.ActiveTenants.Set(s.ActiveTenants);
        FairlaneMetrics.ParkedTenants.Set(s.ParkedTenants);
        FairlaneMetrics.RoundGrant.Set(s.RoundGrant.TotalSeconds);
        FairlaneMetrics.GcHeapSize.Set(GC.GetGCMemoryInfo().HeapSizeBytes);

        var current = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (tenant, queued, inFlight) in s.TopTenants)
        {
            current.Add(tenant);
            FairlaneMetrics.TenantQueueDepth.WithLabels(tenant).Set(queued);
            FairlaneMetrics.TenantInFlight.WithLabels(tenant).Set(inFlight);
        }
        foreach (var gone in _exported.Except(current))
        {
            FairlaneMetrics.TenantQueueDepth.RemoveLabelled(gone);
            FairlaneMetrics.TenantInFlight.RemoveLabelled(gone);
        }
        _exported = current;
    }
}
